"""Link rot: fetch a cited source again and say whether it is still what was cited.

``alive``: it answers and its extracted text is what was archived (white space aside);
``changed``: it answers with other text (or no longer as a page, text or PDF); ``gone``: 404,
410, or its host name no longer resolves; ``unreachable``: anything else that kept the check
from finishing (a timeout, a 5xx, a refused address), which says nothing of the source yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import archive


@dataclass(frozen=True)
class LinkResult:
    status: str
    reason: str = ""
    http_status: int | None = None


def check_link(
    url: str, archived_text_sha256: str | None, config: dict[str, Any], resolver: Any = None
) -> LinkResult:
    """Fetch ``url`` again (through the same guards as archiving) and compare its text's
    digest (:func:`factcheck.evidence.archive.text_digest`) with the archived one's."""
    try:
        page = archive.fetch_page(url, config, resolver)
    except archive.ArchiveFailure as exc:
        if "could not be resolved" in exc.reason:
            return LinkResult("gone", exc.reason)
        if " is " in exc.reason and "not an HTML page" in exc.reason:
            return LinkResult("changed", exc.reason)
        return LinkResult("unreachable", exc.reason)
    if page.status in (404, 410):
        return LinkResult("gone", f"The server answered {page.status} {page.reason}.", page.status)
    if page.status != 200:
        return LinkResult(
            "unreachable", f"The server answered {page.status} {page.reason}.", page.status
        )
    try:
        _title, text = archive.extract(page)
    except archive.ArchiveFailure as exc:
        return LinkResult("changed", exc.reason, page.status)
    if not archived_text_sha256:
        return LinkResult("alive", "No archived text to compare with.", page.status)
    if archive.text_digest(text) == archived_text_sha256:
        return LinkResult("alive", "", page.status)
    moved = f" (now at {page.url})" if page.url.rstrip("/") != url.rstrip("/") else ""
    return LinkResult("changed", f"The text differs from the archived copy{moved}.", page.status)
