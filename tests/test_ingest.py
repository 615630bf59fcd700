"""factcheck.ingest: decoding, normalising, size limits, HTML extraction, front matter."""

from __future__ import annotations

import datetime

import pytest

from factcheck import ingest
from tests.conftest import NEWS_PAGE, SAMPLE_ARTICLE

CURLY = "He said \u201cit\u2019s \u20ac5\u201d \u2013 really."


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        (b"Plain ASCII text.", "Plain ASCII text.", "UTF-8"),
        ("Caf\u00e9 \U0001f600".encode(), "Caf\u00e9 \U0001f600", "UTF-8"),
        (b"\xef\xbb\xbf" + "Caf\u00e9".encode(), "Caf\u00e9", "UTF-8 (with BOM)"),
        ("\ufeffCaf\u00e9 \u20ac".encode("utf-16-le"), "Caf\u00e9 \u20ac", "UTF-16"),
        ("\ufeffCaf\u00e9 \u20ac".encode("utf-16-be"), "Caf\u00e9 \u20ac", "UTF-16"),
        (CURLY.encode("cp1252"), CURLY, "Windows-1252"),
        (
            "Caf\u00e9 cr\u00e8me br\u00fbl\u00e9e".encode("latin-1"),
            "Caf\u00e9 cr\u00e8me br\u00fbl\u00e9e",
            "Windows-1252",
        ),
        (b"", "", "UTF-8"),
    ],
)
def test_decode_bytes(data: bytes, text: str, encoding: str) -> None:
    assert ingest.decode_bytes(data) == (text, encoding)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("Caf\u00e9 ".encode() + b"\xff\xfe broken", "invalid bytes"),
        ("\u201cok\u201d".encode() + b" \xe2\x82", "invalid bytes"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"text\x00with a NUL", "binary"),
        (bytes(range(256)) * 4, "binary"),
        (b"\x81\x8d\x8f\x90\x9d", "neither UTF-8 nor Windows-1252"),
        (b"\xef\xbb\xbf\xff\xfe bad after a UTF-8 BOM", "invalid bytes"),
        (b"\xff\xfe" + b"\x00\xd8", "invalid bytes"),  # UTF-16 with a lone surrogate
    ],
)
def test_decode_bytes_refuses(data: bytes, message: str) -> None:
    with pytest.raises(ingest.IngestError, match=message):
        ingest.decode_bytes(data)


@pytest.mark.parametrize(
    ("raw", "body"),
    [
        ("One.\r\nTwo.\r\n\r\nThree.", "One.\nTwo.\n\nThree."),
        ("One.\rTwo.\r\rThree.", "One.\nTwo.\n\nThree."),
        ("One.\r\nTwo.\rThree.\n", "One.\nTwo.\nThree."),
        ("\ufeff  Leading BOM and space.  \n\n", "Leading BOM and space."),
        ("\n\n  \tIndented first line.", "Indented first line."),
    ],
)
def test_normalise_text(raw: str, body: str) -> None:
    assert ingest.normalise_text(raw) == body
    assert ingest.prepare_article(body=raw).article["body"] == body


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_line_endings_keep_offsets_exact(newline: str) -> None:
    raw = SAMPLE_ARTICLE.replace("\n", newline)
    draft = ingest.prepare_article(body=raw, title="Tram")
    body = draft.article["body"]
    assert "\r" not in body
    assert body == SAMPLE_ARTICLE.strip()
    assert draft.claims
    for claim in draft.claims:
        assert body[claim["start"] : claim["end"]] == claim["quote"]
    expected = ingest.prepare_article(body=SAMPLE_ARTICLE, title="Tram").claims
    assert [(c["start"], c["end"]) for c in draft.claims] == [
        (c["start"], c["end"]) for c in expected
    ]


@pytest.mark.parametrize(
    "body",
    ["", " ", "   \n\t\r\n  ", "\ufeff", "\ufeff \n", "\u200b\u200b", "\x00\x00", "\u00a0\u3000"],
)
def test_empty_article(body: str) -> None:
    with pytest.raises(ingest.IngestError, match="empty"):
        ingest.prepare_article(body=body)


@pytest.mark.parametrize(
    ("body", "limit", "ok"),
    [
        ("a" * 100, 100, True),
        ("a" * 101, 100, False),
        ("\u20ac" * 33, 100, True),  # 99 bytes of UTF-8
        ("\u20ac" * 34, 100, False),  # 102 bytes: the limit is in bytes, not characters
        ("\U0001f600" * 26, 100, False),
        ("a" * 100 + "\r\n" * 10, 100, True),  # trailing blank space is trimmed first
    ],
)
def test_size_limit(body: str, limit: int, ok: bool) -> None:
    if ok:
        assert ingest.prepare_article(body=body, max_bytes=limit).article["body"]
    else:
        with pytest.raises(ingest.IngestError, match=f"limit is {limit:,} bytes"):
            ingest.prepare_article(body=body, max_bytes=limit)


def test_upload_over_the_limit() -> None:
    with pytest.raises(ingest.IngestError, match="limit"):
        ingest.prepare_upload("big.txt", b"word " * 100, max_bytes=100)
    with pytest.raises(ingest.IngestError, match="limit"):
        ingest.prepare_upload("big.txt", b"w" * 401, max_bytes=100)


def test_mostly_control_characters() -> None:
    text = "ab" + "\x01\x02\x03" * 20
    with pytest.raises(ingest.IngestError, match="control characters"):
        ingest.prepare_article(body=text)


@pytest.mark.parametrize(
    ("name", "data", "body", "notices"),
    [
        ("a.txt", "Caf\u00e9 opens.".encode(), "Caf\u00e9 opens.", []),
        ("a.md", b"\xef\xbb\xbf" + "Caf\u00e9 opens.".encode(), "Caf\u00e9 opens.", []),
        ("a.TXT", CURLY.encode("cp1252"), CURLY, ["Read the file as Windows-1252."]),
        ("a.text", "Caf\u00e9".encode("latin-1"), "Caf\u00e9", ["Read the file as Windows-1252."]),
        (
            "a.markdown",
            "\ufeffHi \u20ac".encode("utf-16"),
            "Hi \u20ac",
            ["Read the file as UTF-16."],
        ),
        ("a.txt", b"One.\r\nTwo.\r\n", "One.\nTwo.", []),
    ],
)
def test_prepare_upload_text(name: str, data: bytes, body: str, notices: list[str]) -> None:
    draft = ingest.prepare_upload(name, data, max_bytes=10_000)
    assert draft.article["body"] == body
    assert draft.notices == notices
    assert draft.article["original_name"] == name
    assert draft.article["title"] == "a"  # from the file name (no headline)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("report.txt", b"\x00\x01\x02binary\x00" * 50, "binary"),
        ("photo.txt", bytes(range(256)), "binary"),
        ("report.pdf", b"%PDF-1.4", "Upload a"),
        ("noextension", b"text", "no extension"),
        ("", b"text", "no extension"),
        ("empty.txt", b"", "empty"),
        ("blank.md", b"\xef\xbb\xbf \r\n \r\n", "empty"),
    ],
)
def test_prepare_upload_refuses(name: str, data: bytes, message: str) -> None:
    with pytest.raises(ingest.IngestError, match=message):
        ingest.prepare_upload(name, data, max_bytes=10_000)


def test_html_upload_keeps_text_and_drops_scripts() -> None:
    draft = ingest.prepare_upload("ferry.html", NEWS_PAGE.encode(), max_bytes=100_000)
    body = draft.article["body"]
    for kept in [
        "single ferry tickets across the harbour will cost 4.30 euros",
        "the ferry service lost 2.1 million euros last year",
        "said Lena Falk of the Harbour Riders association",
        "discounts for students and pensioners would remain unchanged",
    ]:
        assert kept in body
    for dropped in [
        "alert",
        "injected",
        "trackPageView",
        "cookie",
        "stealCookies",
        "onclick",
        "<",
        "font-family",
        "Most read",
        "All rights reserved",
        "Subscribe",
    ]:
        assert dropped not in body
    article = draft.article
    assert article["original"] == NEWS_PAGE
    assert article["original_type"] == "html"
    assert article["original_name"] == "ferry.html"
    assert article["title"].startswith("Harbour ferry fares to rise 8% in March")
    assert article["publisher"] == "The Coastal Courier"
    assert article["author"] == "Mara Jensen"
    assert article["published"] == "2025-02-11"
    assert draft.claims
    for claim in draft.claims:
        assert body[claim["start"] : claim["end"]] == claim["quote"]


def test_html_upload_given_metadata_wins() -> None:
    draft = ingest.prepare_upload(
        "ferry.htm", NEWS_PAGE.encode(), max_bytes=100_000, title="My title", publisher="Me"
    )
    assert draft.article["title"] == "My title"
    assert draft.article["publisher"] == "Me"
    assert draft.article["author"] == "Mara Jensen"


def test_html_upload_in_windows_1252() -> None:
    page = NEWS_PAGE.replace("4.30 euros", "\u20ac4.30").replace('<meta charset="utf-8">', "")
    draft = ingest.prepare_upload("ferry.html", page.encode("cp1252"), max_bytes=100_000)
    assert "\u20ac4.30" in draft.article["body"]
    assert draft.notices == ["Read the file as Windows-1252."]


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><script>alert(1)</script></body></html>",
        "<html><head><title>Only a title</title></head><body></body></html>",
        "",
    ],
)
def test_html_without_text(html: str) -> None:
    with pytest.raises(ingest.IngestError):
        ingest.prepare_upload("x.html", html.encode(), max_bytes=100_000)


@pytest.mark.parametrize(
    ("text", "meta", "rest"),
    [
        (
            "Title: Tram line\nPublisher: City Post\nDate: 2025-05-06\n\nBody here.",
            {"title": "Tram line", "publisher": "City Post", "published": "2025-05-06"},
            "Body here.",
        ),
        (
            "\ufefftitle: T\r\nURL: https://e.example/a\r\nauthor: Jo\r\n\r\nBody.\r\nMore.",
            {"title": "T", "url": "https://e.example/a", "author": "Jo"},
            "Body.\nMore.",
        ),
        ("Source: https://e.example/\n\nB", {"url": "https://e.example/"}, "B"),
        ("Published: 2025-01-02\n\n\nB", {"published": "2025-01-02"}, "\nB"),
        # not front matter: returned unchanged
        ("No header here.\n\nBody.", {}, "No header here.\n\nBody."),
        (
            "Title: T\nBody follows without a blank line.",
            {},
            "Title: T\nBody follows without a blank line.",
        ),
        ("Title: T\nColour: red\n\nB", {}, "Title: T\nColour: red\n\nB"),
        ("Title:\n\nB", {}, "Title:\n\nB"),
        ("\n\nTitle: T\n\nB", {}, "\n\nTitle: T\n\nB"),
        ("", {}, ""),
        ("Title: T", {}, "Title: T"),
    ],
)
def test_split_front_matter(text: str, meta: dict, rest: str) -> None:
    assert ingest.split_front_matter(text) == (meta, rest)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-05-06", "2025-05-06"),
        ("2025-05-06T10:00:00Z", "2025-05-06"),
        (" 2025-05-06 ", "2025-05-06"),
        (datetime.date(2024, 2, 29), "2024-02-29"),
        ("2025-02-30", None),
        ("May 6, 2025", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(value: object, expected: str | None) -> None:
    assert ingest.parse_date(value) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("  Spaced   out\n title ", "Spaced out title"),
        ("", "City council approves new tram line"),
    ],
)
def test_title(title: str, expected: str) -> None:
    assert ingest.prepare_article(body=SAMPLE_ARTICLE, title=title).article["title"] == expected


def test_title_from_long_first_line() -> None:
    draft = ingest.prepare_article(body="word " * 100)
    assert draft.article["title"].endswith("\u2026")
    assert len(draft.article["title"]) == 121


@pytest.mark.parametrize(
    ("field", "value", "stored"),
    [
        ("url", "  https://example.org/a  ", "https://example.org/a"),
        ("url", "   ", None),
        ("publisher", " Daily ", "Daily"),
        ("author", "", None),
        ("published", "not a date", None),
    ],
)
def test_metadata_cleaned(field: str, value: str, stored: str | None) -> None:
    draft = ingest.prepare_article(body="Some text.", **{field: value})
    assert draft.article[field] == stored


@pytest.mark.parametrize(
    ("data", "title"),
    [
        (
            b"Ferry fares to rise 8% in March\n\nFares rose on Monday, the operator said.\n",
            "Ferry fares to rise 8% in March",
        ),
        (b"By Jo Lind\n\nFares rose on Monday, the operator said.\n", "ferry notes"),  # a byline
        (b"Fares rose on Monday, the operator said.\n", "ferry notes"),  # running text
    ],
)
def test_uploaded_text_takes_its_headline_as_title(data: bytes, title: str) -> None:
    draft = ingest.prepare_upload("ferry-notes.txt", data, max_bytes=10_000)
    assert draft.article["title"] == title


# Publication dates: from metadata only, never from the text -----------------------------------

HARVEST_BODY = """<article><h1>Wheat harvest is the largest since 1998</h1>
<p>The wheat harvest this year was the largest since 1998, the farmers' union said on Monday.
Farmers brought in 18.2 million tonnes, up from 15.1 million tonnes last year.</p>
<p>Prices fell by 12 per cent in the autumn, according to the ministry of agriculture. The
union expects exports to rise by a fifth next year, it said on 3 March 2024.</p></article>"""


def _page(head: str = "", body: str = "") -> str:
    return (
        f"<!doctype html><html><head><title>Wheat harvest</title>{head}</head>"
        f"<body>{HARVEST_BODY}{body}</body></html>"
    )


def test_html_date_is_not_guessed_from_the_text() -> None:
    """The 1998 case: trafilatura guesses 1998-01-01 from "the largest since 1998"."""
    draft = ingest.prepare_upload("harvest.html", _page().encode(), max_bytes=100_000)
    assert draft.article["published"] is None
    assert "largest since 1998" in draft.article["body"]
    assert ingest.html_published_date(_page()) is None


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        (
            '<meta property="article:published_time" content="2025-01-02T10:00:00+01:00">',
            "",
            "2025-01-02",
        ),
        ('<meta itemprop="datePublished" content="2025-01-03">', "", "2025-01-03"),
        ('<meta name="date" content="Tue, 04 Feb 2025 08:30:00 GMT">', "", "2025-02-04"),
        ('<meta name="DC.date.issued" content="2025/02/05">', "", "2025-02-05"),
        ('<meta name="parsely-pub-date" content="6 February 2025">', "", "2025-02-06"),
        (
            '<script type="application/ld+json">{"@context": "https://schema.org",'
            ' "@type": "NewsArticle", "datePublished": "2025-01-07T09:00:00Z",'
            ' "dateModified": "2025-03-01"}</script>',
            "",
            "2025-01-07",
        ),
        (
            '<script type="application/ld+json">{"@graph": [{"@type": "WebPage"},'
            ' {"@type": "Article", "datePublished": "2025-01-08"}]}</script>',
            "",
            "2025-01-08",
        ),
        (
            "",
            '<footer><time itemprop="datePublished" datetime="2025-01-09">9 Jan</time></footer>',
            "2025-01-09",
        ),
        ("", '<p><time pubdate datetime="2025-01-10T12:00">noon</time></p>', "2025-01-10"),
        # the most specific tag wins over a generic one
        (
            '<meta name="date" content="2020-01-01">'
            '<meta property="article:published_time" content="2025-01-11">',
            "",
            "2025-01-11",
        ),
        # not a publication date: modified, a bare year, a broken JSON-LD block, a plain <time>
        ('<meta property="article:modified_time" content="2025-01-12">', "", None),
        ('<meta name="date" content="1998">', "", None),
        ('<script type="application/ld+json">{"datePublished": </script>', "", None),
        ("", '<p><time datetime="2025-01-13">Monday</time></p>', None),
    ],
)
def test_html_date_from_metadata(head: str, body: str, expected: str | None) -> None:
    page = _page(head, body)
    assert ingest.html_published_date(page) == expected
    draft = ingest.prepare_upload("harvest.html", page.encode(), max_bytes=100_000)
    assert draft.article["published"] == expected


def test_html_date_given_by_the_user_wins() -> None:
    page = _page('<meta property="article:published_time" content="2025-01-02">')
    draft = ingest.prepare_upload(
        "harvest.html", page.encode(), max_bytes=100_000, published="2024-12-31"
    )
    assert draft.article["published"] == "2024-12-31"


@pytest.mark.parametrize(
    ("text", "meta", "rest"),
    [
        (
            '---\npublished: 2025-01-02\ntitle: "Ferry: fares rise"\ntags: [x]\n---\n\nBody.',
            {"published": "2025-01-02", "title": "Ferry: fares rise"},
            "Body.",
        ),
        ("---\ndate: '2025-01-03'\n...\nBody.", {"published": "2025-01-03"}, "Body."),
        ("---\nlayout: post\n---\nBody.", {}, "Body."),
        (
            "---\ndate: 2025-01-03\nBody never closed.",
            {},
            "---\ndate: 2025-01-03\nBody never closed.",
        ),
    ],
)
def test_split_front_matter_block(text: str, meta: dict, rest: str) -> None:
    assert ingest.split_front_matter(text) == (meta, rest)


@pytest.mark.parametrize(
    ("data", "published", "body"),
    [
        (
            b"---\npublished: 2025-01-02\n---\nFares rose on Monday.\n",
            "2025-01-02",
            "Fares rose on Monday.",
        ),
        (b"Date: 3 March 2025\n\nFares rose on Monday.\n", "2025-03-03", "Fares rose on Monday."),
        (
            b"Fares rose the most since 1998 on Monday.\n",
            None,
            "Fares rose the most since 1998 on Monday.",
        ),
    ],
)
def test_uploaded_text_date_from_its_header(data: bytes, published: str | None, body: str) -> None:
    draft = ingest.prepare_upload("fares.md", data, max_bytes=10_000)
    assert draft.article["published"] == published
    assert draft.article["body"] == body


def test_uploaded_text_header_given_metadata_wins() -> None:
    data = b"Date: 2025-03-03\nPublisher: Courier\n\nFares rose on Monday.\n"
    draft = ingest.prepare_upload("f.txt", data, max_bytes=10_000, published="2025-04-04")
    assert draft.article["published"] == "2025-04-04"
    assert draft.article["publisher"] == "Courier"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-05-06T10:00:00Z", "2025-05-06"),
        ("Tue, 06 May 2025 10:00:00 +0200", "2025-05-06"),
        ("2025/05/06", "2025-05-06"),
        ("6 May 2025", "2025-05-06"),
        ("May 6, 2025", "2025-05-06"),
        ("1998", None),
        ("since 1998", None),
        ("", None),
        (None, None),
    ],
)
def test_loose_date(value: str | None, expected: str | None) -> None:
    assert ingest.loose_date(value) == expected
