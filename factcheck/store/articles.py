"""Articles: storing one with its extracted claims, reading them, listing them, their date."""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database

from .base import (
    Conflict,
    DuplicateArticle,
    Invalid,
    NotFound,
    _audit,
    _row,
    _rows,
    now,
    sha256,
    transaction,
)
from .claimants import CLAIMANT_COLUMNS, claimant_columns

_ARTICLE_FIELDS = ("title", "url", "publisher", "author", "published")


def create_article(
    db: Database,
    article: dict[str, Any],
    claims: Sequence[dict[str, Any]],
    user_id: int | None,
) -> int:
    """Store an article and its extracted claims in one transaction; return the article id.

    ``article`` has ``title``, ``body`` and optionally ``url``, ``publisher``, ``author``,
    ``published``, ``original``, ``original_type``, ``original_name``. Raises
    :class:`DuplicateArticle` when the same body is stored already.
    """
    body = article["body"]
    digest = sha256(body)
    stamp = now()
    with transaction(db):
        refuse_duplicate(db, digest)
        cursor = db.execute(
            "INSERT INTO articles (title, url, publisher, author, published, body, body_sha256,"
            " original, original_type, original_name, created_by, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article["title"],
                article.get("url"),
                article.get("publisher"),
                article.get("author"),
                article.get("published"),
                body,
                digest,
                article.get("original"),
                article.get("original_type", "paste"),
                article.get("original_name"),
                user_id,
                stamp,
                stamp,
            ),
        )
        article_id = cursor.lastrowid
        _insert_claims(db, article_id, body, claims, user_id, stamp)
        _audit(
            db,
            user_id=user_id,
            action="create",
            table="articles",
            row_id=article_id,
            article_id=article_id,
            after={key: article.get(key) for key in _ARTICLE_FIELDS} | {"body_sha256": digest},
        )
    return article_id


def refuse_duplicate(db: Database, digest: str) -> None:
    """:class:`DuplicateArticle` (with the stored article's id) when an article whose body has
    the SHA-256 ``digest`` is stored already: one article per body, however it came in."""
    existing = _row(db, "SELECT id FROM articles WHERE body_sha256 = ?", (digest,))
    if existing:
        raise DuplicateArticle(existing["id"])


def _insert_claims(
    db: Database,
    article_id: int,
    body: str,
    claims: Sequence[dict[str, Any]],
    user_id: int | None,
    stamp: str,
) -> None:
    rows = []
    for claim in claims:
        start, end = claim["start"], claim["end"]
        if body[start:end] != claim["quote"]:
            raise Invalid(f"claim quote does not match the article at {start}:{end}")
        rows.append(
            (
                article_id,
                start,
                end,
                claim["quote"],
                claim.get("text") or claim["quote"],
                json.dumps(claim.get("kind", []), ensure_ascii=False),
                json.dumps(claim.get("values", []), ensure_ascii=False),
                claim.get("score"),
                1 if claim.get("checkworthy") else 0,
                *claimant_columns(body, claim),
                user_id,
                stamp,
                stamp,
            )
        )
    db.conn.executemany(
        'INSERT INTO claims (article_id, start, "end", quote, text, kind, "values", score,'
        f" checkworthy, {CLAIMANT_COLUMNS}, created_by, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def _article_columns(db: Database, article_id: int, columns: str) -> dict[str, Any]:
    """The article's ``columns``; :class:`NotFound` when there is no such article."""
    article = _row(db, f"SELECT {columns} FROM articles WHERE id = ?", (article_id,))
    if article is None:
        raise NotFound(f"article {article_id}")
    return article


def get_article(db: Database, article_id: int) -> dict[str, Any]:
    """The article with ``article_id``, body included."""
    return _article_columns(db, article_id, "*")


# What the review page reads of an article on every view: no ``body`` (its ``ArticleView`` has
# the body, cached by ``body_sha256``) and no ``original`` (the uploaded file, possibly MBs).
_ARTICLE_HEAD_COLUMNS = (
    "id, title, url, publisher, author, published, body_sha256, original_type, original_name,"
    " status, created_by, version, created_at, updated_at, published_at, published_by,"
    " extraction, extraction_error, batch_id"
)


def get_article_head(db: Database, article_id: int) -> dict[str, Any]:
    """The article with ``article_id`` without its ``body`` and ``original``."""
    return _article_columns(db, article_id, _ARTICLE_HEAD_COLUMNS)


def get_article_body(db: Database, article_id: int) -> dict[str, Any]:
    """The article's ``body`` with its ``body_sha256``, read together."""
    return _article_columns(db, article_id, "body, body_sha256")


#: Ids of the articles the user ``:user`` reviews: assigned to them, or added by them.
VISIBLE_ARTICLE_IDS = (
    "SELECT article_id FROM assignments WHERE user_id = :user"
    " UNION SELECT id FROM articles WHERE created_by = :user"
)


def list_articles(
    db: Database, limit: int = 200, offset: int = 0, visible_to: int | None = None
) -> list[dict[str, Any]]:
    """Articles, newest first, with claim, verdict and final-verdict counts.

    With ``visible_to``, only the articles assigned to that user or added by them.
    """
    where = ""
    params: tuple[Any, ...] = ()
    if visible_to is not None:
        where = (
            " WHERE a.id IN (SELECT article_id FROM assignments WHERE user_id = ?)"
            " OR a.created_by = ?"
        )
        params = (visible_to, visible_to)
    return _rows(
        db,
        "SELECT a.id, a.title, a.url, a.publisher, a.author, a.published, a.created_at,"
        " a.status, a.published_at, a.extraction, length(a.body) AS chars,"
        " (SELECT count(*) FROM claims c WHERE c.article_id = a.id AND NOT c.dismissed)"
        "   AS claims,"
        " (SELECT count(*) FROM claims c WHERE c.article_id = a.id AND NOT c.dismissed"
        "   AND c.checkworthy) AS checkworthy,"
        " (SELECT count(DISTINCT v.claim_id) FROM verdicts v JOIN claims c ON c.id = v.claim_id"
        "   WHERE c.article_id = a.id AND NOT c.dismissed) AS reviewed,"
        " (SELECT count(*) FROM final_verdicts f JOIN claims c ON c.id = f.claim_id"
        "   WHERE c.article_id = a.id AND NOT c.dismissed) AS settled,"
        " (SELECT group_concat(u.username, ', ') FROM assignments s"
        "   JOIN users u ON u.id = s.user_id WHERE s.article_id = a.id) AS reviewers"
        f" FROM articles a{where} ORDER BY a.id DESC LIMIT ? OFFSET ?",
        (*params, limit, offset),
    )


def count_articles(db: Database) -> int:
    """How many articles are stored."""
    return db.execute("SELECT count(*) FROM articles").fetchone()[0]


def set_article_published(
    db: Database, article_id: int, published: str | None, version: int, user_id: int | None
) -> dict[str, Any]:
    """Set (or clear, with None) the article's publication date, ``YYYY-MM-DD``: a new version
    of the article, audited. Raises :class:`Invalid` for anything but an ISO date and
    :class:`Conflict` (with the current article) when ``version`` is not the current one."""
    if published is not None:
        try:
            published = datetime.date.fromisoformat(str(published)).isoformat()
        except ValueError:
            raise Invalid("Give the publication date as YYYY-MM-DD.") from None
    with transaction(db):
        before = get_article_head(db, article_id)
        if before["version"] != version:
            raise Conflict(before)
        if before["published"] == published:
            return before
        db.execute(
            "UPDATE articles SET published = ?, version = version + 1, updated_at = ?"
            " WHERE id = ? AND version = ?",
            (published, now(), article_id, version),
        )
        _audit(
            db,
            user_id=user_id,
            action="set-date",
            table="articles",
            row_id=article_id,
            article_id=article_id,
            before={"published": before["published"]},
            after={"published": published},
        )
    return get_article_head(db, article_id)
