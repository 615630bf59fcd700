"""The review page of an article: its claims' list and highlighted body (built once per state
of the claims and cached), the keys, the page's context, and the page shown again after a
refused form."""

from __future__ import annotations

import threading
from typing import Any

from flask import current_app, g, url_for
from markupsafe import escape

from .. import access, store
from ..agreement import ordinal_order
from ..db import get_db
from ..forms import EditClaimForm, FinalVerdictForm, VerdictForm
from ..highlight import Marked, body_html, highlight_segments
from ..store import flow as flow_store
from ..web import render, wants_json
from .review_fields import add_fields, rating_scale, shown_field
from .review_panel import panel_context


def with_links(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Search results (:mod:`factcheck.search`) with ``href``: the claim in its review page."""
    for result in results:
        result["href"] = (
            url_for("review.article", article_id=result["article_id"], claim=result["claim_id"])
            + "#panel"
        )
    return results


class ArticleView:
    """What the review page shows of an article's claims, computed once per state of them.

    The claims, the body's highlight runs, the counts, and the HTML of the body and the claim
    lists (with a slot for the selected claim), built with the Jinja environment's own
    cleaning and escaping (:func:`factcheck.sanitize.finalize`, then markupsafe's escape).
    Shared between requests: never changed after it is built.
    """

    def __init__(self, article: dict[str, Any], claims: list[dict[str, Any]], href: str):
        self.claims = claims
        self.by_id = {c["id"]: c for c in claims}
        visible = [c for c in claims if not c["dismissed"]]
        segments = highlight_segments(article["body"], visible)
        checkworthy_ids = {c["id"] for c in visible if c["checkworthy"]}
        for segment in segments:
            segment["checkworthy"] = segment["claim"] in checkworthy_ids
        self.segments = segments
        self.counts = {
            "claims": len(visible),
            "checkworthy": len(checkworthy_ids),
            "dismissed": len(claims) - len(visible),
        }
        self.listed = {
            False: [c["id"] for c in claims],
            True: [c["id"] for c in claims if c["checkworthy"]],
        }
        self.href = href
        self.body = body_html(segments, href, _text)
        self.body_length = len(article["body"])
        self._lists: dict[bool, Marked] = {}
        self._dismissed: str | None = None

    def claim_list(self, only_checkworthy: bool) -> Marked:
        """The ``#claim-list`` items (undismissed listed claims), as the template wrote them."""
        found = self._lists.get(only_checkworthy)
        if found is not None:
            return found
        out = Marked("selected", _BADGES)
        suffix = _text("&only=checkworthy") if only_checkworthy else ""
        out.add("\n        ")
        empty = True
        for c in self.claims:
            if c["dismissed"] or (only_checkworthy and not c["checkworthy"]):
                continue
            empty = False
            ident = _text(c["id"])
            score = "%.2f" % c["score"] if c["score"] is not None else "manual"  # noqa: UP031
            out.add(
                f'\n        <li><a href="{_text(self.href)}?claim={ident}{suffix}#panel"'
                f' data-claim="{ident}" class="'
            )
            out.slot(c["id"])
            out.add(
                f'{" cw" if c["checkworthy"] else ""}">\n'
                f'          <span class="score" title="check-worthiness">{_text(score)}</span>\n'
                "          "
            )
            out.badge(c["id"])
            out.add(
                "\n"
                f'          <span class="claim-text">{_text(c["text"])}</span>\n'
                "        </a></li>\n        "
            )
        if empty:
            marked = " marked check-worthy" if only_checkworthy else ""
            out.add(f'\n        <li class="empty">No claims{marked}.</li>\n        ')
        self._lists[only_checkworthy] = out
        return out

    def dismissed_list(self) -> str:
        """The items of the dismissed claims' list."""
        if self._dismissed is None:
            items = [
                f'\n          <li><a href="{_text(self.href)}?claim={_text(c["id"])}#panel"'
                f' data-claim="{_text(c["id"])}">{_text(c["text"])}</a></li>\n          '
                for c in self.claims
                if c["dismissed"]
            ]
            self._dismissed = "\n          " + "".join(items)
        return self._dismissed


# The claim list's label of each state of a claim for the user (store/flow.py).
_BADGES = {
    state: f'<span class="state state-{state}">{label}</span>'
    for state, label in flow_store.LABELS.items()
}


def _text(value: Any) -> str:
    """A value as escaped HTML text, cleaned exactly as the templates' output is."""
    return str(escape(current_app.jinja_env.finalize(value)))


_views_lock = threading.Lock()
# Articles whose ArticleView each app keeps (per process), and at most this many characters of
# their bodies in all. A desk works on a few hundred articles at a time; rebuilding a view costs
# ~3 ms for 5,000 characters with 50 claims, against ~1 ms for the whole page from the cache.
# A view of such an article holds ~200 KB (its claims, the body's runs and HTML): at most
# ~50 MB for 256 of them, and the budget of characters bounds the views of long articles.
VIEW_CACHE_SIZE = 256
VIEW_CACHE_CHARS = 4_000_000


def article_view(db: Any, article: dict[str, Any]) -> ArticleView:
    """The article's :class:`ArticleView`, from the cache while its claims have not changed.

    The key is the article's body hash with its claims' count, highest id, sum of versions
    and latest change (:func:`store.claims_state`): every change to a claim moves its version
    on, and adding one moves the count, so an edit in any process shows on the next view.
    """
    views = current_app.extensions.setdefault("factcheck_article_views", {})
    state = (article["body_sha256"], *store.claims_state(db, article["id"]))
    cached = views.get(article["id"])
    if cached is not None and cached[0] == state:
        return cached[1]
    if "body" not in article:  # (a body never changes: see the migration's trigger)
        article = {**article, **store.get_article_body(db, article["id"])}
    claims = store.list_claims(db, article["id"])
    # The key of what was read (a write may have landed since the state was read).
    state = (
        article["body_sha256"],
        len(claims),
        max((c["id"] for c in claims), default=None),
        sum(c["version"] for c in claims),
        max((c["updated_at"] for c in claims), default=None),
    )
    view = ArticleView(article, claims, url_for("review.article", article_id=article["id"]))
    with _views_lock:
        views.pop(article["id"], None)
        held = sum(entry[1].body_length for entry in views.values())
        while views and (
            len(views) >= VIEW_CACHE_SIZE or held + view.body_length > VIEW_CACHE_CHARS
        ):
            held -= views.pop(next(iter(views)))[1].body_length
        views[article["id"]] = (state, view)
    return view


def review_keys() -> list[tuple[str, str]]:
    """The review page's keys and what they do (the ``?`` overlay lists them)."""
    ratings = [
        (str(number), f"Rating: {entry['label']}")
        for number, entry in enumerate(rating_scale()[:9], start=1)
    ]
    return [
        ("j", "Next claim to do (check-worthy first; the next article when this one is done)"),
        ("k", "Previous claim to do"),
        *ratings,
        ("Ctrl+Enter", "Save the verdict and open the next claim to do"),
        ("Ctrl+Enter", "In a comment: post the comment (the verdict is not saved)"),
        ("t", "Show only the claims to do, or all claims"),
        ("?", "Show this list of keys"),
        ("Esc", "Close this list"),
    ]


def review_context(
    article_id: int, claim_id: int | None, only_checkworthy: bool, todo_only: bool = False
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The review page's JSON context and the HTML-only objects (forms, prebuilt HTML)."""
    db = get_db()
    access.require_article(db, g.user, article_id)
    # The JSON context has the body; the page has it from the (cached) ArticleView.
    get = store.get_article if wants_json() else store.get_article_head
    article = get(db, article_id)
    view = article_view(db, article)
    states = flow_store.review_states(db, article_id, g.user["id"], ordinal_order(rating_scale()))
    selected = None
    if claim_id is not None:
        selected = view.by_id.get(claim_id)
        if selected is None:
            raise store.NotFound(f"claim {claim_id} in article {article_id}")
        selected = dict(selected)
    context = {
        "article": {key: article[key] for key in article if key != "original"},
        "claims": view.claims,
        "listed": view.listed[only_checkworthy],
        "only_checkworthy": only_checkworthy,
        "segments": view.segments,
        "selected": selected,
        "scale": rating_scale(),
        "is_editor": access.is_editor(g.user),
        "counts": view.counts,
        "states": states,
        "state_counts": flow_store.state_counts(states),
        "todo_only": todo_only,
    }
    extra: dict[str, Any] = {
        "keys": review_keys(),
        "add_fields": add_fields(),
        "article_view": view,
        "date_edit": {"value": "", "error": None}
        if access.can_edit_article(g.user, article)
        else None,
    }
    if selected is not None:
        panel, panel_extra = panel_context(selected, article=article)
        context.update(panel)
        extra.update(panel_extra)
    return context, extra


def review_again(
    claim: dict[str, Any],
    status: int,
    *,
    verdict: VerdictForm | None = None,
    refused: dict[str, Any] | None = None,
    final: FinalVerdictForm | None = None,
    edit_text: str | None = None,
    **more: Any,
) -> Any:
    """The review page at ``claim`` again after a refused form, with what the user typed kept:
    the ``verdict`` form, the ``final`` verdict form, or the wording typed (``edit_text``).

    ``refused`` says which form was refused (``{"form": "verdict" | "final" | "edit" | "state",
    "error": message, "field": the field at fault or None}``): the page opens that form's
    section and shows the message beside the field, which gets the focus (so the browser
    scrolls to it)."""
    context, extra = review_context(claim["article_id"], claim["id"], False)
    panel, panel_extra = panel_context(claim, verdict)
    context.update(panel, **more)
    extra.update(panel_extra)
    if final is not None:
        extra["final_form"] = final
    if edit_text is not None:
        extra["edit_fields"] = {
            "version": shown_field(EditClaimForm, "version", claim["version"], type="hidden"),
            "text": shown_field(
                EditClaimForm,
                "text",
                edit_text,
                rows=3,
                aria_invalid="true",
                aria_describedby="edit-error",
                autofocus=True,
            ),
            "error": (refused or {}).get("error"),
            "open": True,
        }
    extra["refused"] = refused or {}
    if wants_json():
        context["refused"] = extra["refused"]
    return render("review/review.html", context, status=status, **extra)
