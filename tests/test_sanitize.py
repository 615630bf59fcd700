"""factcheck.sanitize: no executable markup survives, bare URLs become safe links."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import bleach
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from factcheck import sanitize

PAYLOADS_FILE = Path(__file__).parents[2] / "shared" / "xss" / "payloads.txt"

_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "background", "poster"}
_BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:")
_BAD_TAGS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "svg", "math", "img",
    "form", "input", "button", "textarea", "select", "meta", "link", "base", "video", "audio",
    "source", "details", "marquee", "body", "html", "template", "noscript", "xmp", "plaintext",
}  # fmt: skip


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def _squash(value: str) -> str:
    """A URL as a browser reads its scheme: whitespace and control characters dropped."""
    return re.sub(r"[\x00-\x20\x7f-\x9f\u200b\ufeff]", "", value).lower()


def unsafe_markup(html: str) -> list[str]:
    """Everything in ``html`` that could run script, found by parsing it."""
    parser = _Collect()
    parser.feed(str(html))
    parser.close()
    problems = []
    for tag, attrs in parser.tags:
        if tag in _BAD_TAGS or tag not in sanitize.ALLOWED_TAGS:
            problems.append(f"tag <{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                problems.append(f"handler {name}= on <{tag}>")
            if name in {"style", "srcdoc"}:
                problems.append(f"{name}= on <{tag}>")
            if name in _URL_ATTRIBUTES and _squash(value or "").startswith(_BAD_SCHEMES):
                problems.append(f"{name}={value!r} on <{tag}>")
    if "<script" in str(html).lower():
        problems.append("literal <script")
    return problems


# Our own payloads ------------------------------------------------------------------------------

XSS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<img src=x onerror="alert(1)">',
    "<img src=x onerror=alert(1)//",
    '<p onclick="alert(1)">click</p>',
    "<body onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;avascript&colon;alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="background-image:url(javascript:alert(1))">x</p>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:text/html,<script>alert(1)</script>">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    "<details open ontoggle=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "<a href='javascript&#58;alert(1)'>x</a>",
    '<a href="\u200bjavascript:alert(1)">x</a>',
    "<div><p>ok <b>bold</b></p></div><script>alert(1)</script>",
    "<textarea><script>alert(1)</script></textarea>",
    "<title><script>alert(1)</script></title>",
    "<template><script>alert(1)</script></template>",
    "<xmp><script>alert(1)</script></xmp>",
    '<a href="https://ok.example/" onmouseover="alert(1)">x</a>',
]

MARKDOWN_XSS = [
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](<javascript:alert(1)>)",
    "[click]( javascript:alert(1) )",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "![img](javascript:alert(1))",
    '![img](x" onerror="alert(1))',
    '[a](https://ok.example/"onmouseover="alert(1))',
    "[ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
    "**<img src=x onerror=alert(1)>**",
    "javascript:alert(1)",
    "> <script>alert(1)</script>",
    "| a | b |\n|---|---|\n| <script>alert(1)</script> | <img src=x onerror=alert(1)> |",
]


@pytest.mark.parametrize("payload", XSS + MARKDOWN_XSS)
def test_render_markdown_leaves_nothing_executable(payload: str) -> None:
    html = sanitize.render_markdown(payload)
    assert isinstance(html, Markup)
    assert unsafe_markup(html) == []


@pytest.mark.parametrize("payload", XSS + MARKDOWN_XSS)
def test_clean_html_leaves_nothing_executable(payload: str) -> None:
    html = sanitize.clean_html(payload)
    assert isinstance(html, Markup)
    assert unsafe_markup(html) == []


def test_the_checker_itself_catches_unsafe_markup() -> None:
    """The checker above must find what it is meant to find, or the tests prove nothing."""
    for bad in [
        "<script>x</script>",
        '<a href="javascript:x">',
        '<a href="java&#x09;script:x">',
        '<p onclick="x">',
        "<svg>",
        '<p style="x">',
        '<a href="data:text/html,x">',
    ]:
        assert unsafe_markup(bad), bad
    assert unsafe_markup('<p><a href="https://ok.example/" rel="noopener">ok</a></p>') == []


@pytest.mark.parametrize(
    ("source", "kept"),
    [
        ("**bold** and _em_", ["<strong>bold</strong>", "<em>em</em>"]),
        ("- one\n- two", ["<ul>", "<li>one</li>"]),
        ("> quoted", ["<blockquote>"]),
        ("`code`", ["<code>code</code>"]),
        ("| a | b |\n|---|---|\n| 1 | 2 |", ["<table>", "<td>1</td>"]),
        ("5 < 6 & 7 > 3", ["5 &lt; 6 &amp; 7 &gt; 3"]),
        ("<b>raw html</b>", ["&lt;b&gt;raw html&lt;/b&gt;"]),  # raw HTML is shown, not rendered
        ("NUL\x00 and BEL\x07 gone", ["NUL and BEL gone"]),
    ],
)
def test_render_markdown_formats(source: str, kept: list[str]) -> None:
    html = str(sanitize.render_markdown(source))
    for piece in kept:
        assert piece in html


@pytest.mark.parametrize("source", ["", None])
def test_render_markdown_empty(source: str | None) -> None:
    assert str(sanitize.render_markdown(source)).strip() == ""


@pytest.mark.parametrize(
    ("source", "href"),
    [
        ("See https://example.org/report.pdf for details.", "https://example.org/report.pdf"),
        ("Data: http://stats.example.org/t?a=1&b=2", "http://stats.example.org/t?a=1&b=2"),
        ("Visit www.example.com today", "http://www.example.com"),
        ("[the budget](https://city.example/budget)", "https://city.example/budget"),
    ],
)
def test_links_get_rel_noopener(source: str, href: str) -> None:
    parser = _Collect()
    parser.feed(str(sanitize.render_markdown(source)))
    links = [dict(attrs) for tag, attrs in parser.tags if tag == "a"]
    assert len(links) == 1
    assert links[0]["href"] == href
    rel = links[0]["rel"].split()
    assert "noopener" in rel and "noreferrer" in rel and "nofollow" in rel


@pytest.mark.parametrize(
    "source", ["`https://example.org/`", "```\nhttps://example.org/\n```", "no links here"]
)
def test_no_links_in_code_or_plain_text(source: str) -> None:
    assert "<a " not in str(sanitize.render_markdown(source))


def test_clean_html_keeps_safe_markup() -> None:
    html = str(
        sanitize.clean_html('<p>A <a href="https://x.example/" target="_blank">link</a></p>')
    )
    assert 'href="https://x.example/"' in html
    assert "target" not in html
    assert 'rel="noopener noreferrer nofollow"' in html


@pytest.mark.parametrize(
    ("html", "href"),
    [
        ('<a href="/claims/1">x</a>', "/claims/1"),
        ('<a href="#note">x</a>', "#note"),
        ('<a href="mailto:desk@example.org">x</a>', "mailto:desk@example.org"),
        ('<a href="java&#1;script:alert(1)">x</a>', None),
        ('<a href="java&#x0C;script:alert(1)">x</a>', None),
        ('<a href="javascript&#8203;:alert(1)">x</a>', None),
        ('<a href="&#8203;javascript:alert(1)">x</a>', None),
        ('<a href="https://example.org/&#173;x">x</a>', None),  # soft hyphen: hidden text
    ],
)
def test_clean_html_urls(html: str, href: str | None) -> None:
    parser = _Collect()
    parser.feed(str(sanitize.clean_html(html)))
    (link,) = [dict(attrs) for tag, attrs in parser.tags if tag == "a"]
    assert link.get("href") == href


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a?b=c#d", "https://example.org/a?b=c#d"),
        ("http://example.org", "http://example.org"),
        ("HTTPS://EXAMPLE.ORG/", "HTTPS://EXAMPLE.ORG/"),
        ("  https://example.org/  ", "https://example.org/"),
        ("https://example.org/\x00", "https://example.org/"),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        (" javascript:alert(1)", None),
        ("\x01javascript:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("vbscript:msgbox(1)", None),
        ("ftp://example.org/file", None),
        ("mailto:desk@example.org", None),
        ("//example.org/path", None),
        ("/relative/path", None),
        ("example.org", None),
        ("https://", None),
        ("https:///path-only", None),
        ("http://exa mple.org/", None),
        ("http://[::1", None),  # urlsplit raises ValueError
        ("", None),
        (None, None),
    ],
)
def test_safe_url(url: str | None, expected: str | None) -> None:
    assert sanitize.safe_url(url) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("plain", "plain"),
        ("a\x00b\x1bc", "abc"),
        ("keeps\nnewlines\tand tabs", "keeps\nnewlines\tand tabs"),
        (None, ""),
        (5, 5),
    ],
)
def test_finalize(value: object, expected: object) -> None:
    assert sanitize.finalize(value) == expected


def test_finalize_keeps_markup() -> None:
    markup = Markup("<b>x</b>")
    assert sanitize.finalize(markup) is markup


# Code shows exactly what was typed (bleach's linkify escaped its text a second time) ---------


class _CodeText(HTMLParser):
    """The text of each ``code`` element, character references resolved (as a browser shows
    it), and the tags met inside code."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.texts: list[str] = []
        self.tags_inside: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            self.tags_inside.append(tag)
        if tag == "code":
            self.depth += 1
            self.texts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "code":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.texts[-1] += data


def code_texts(html: str) -> tuple[list[str], list[str]]:
    parser = _CodeText()
    parser.feed(str(html))
    parser.close()
    return parser.texts, parser.tags_inside


CODE = [
    "<script>",
    "a && b",
    "if a < b && c > d:",
    "x = \"double\" + 'single'",
    "&amp; &lt;b&gt; &#60; &quot; &copy; &nbsp",  # typed entities stay as typed
    '<a href="javascript:alert(1)">x</a>',
    "https://example.org/?a=1&b=2",
    "www.example.com and http://example.org/<x>",
    "curl 'https://api.example/v1?q=a&b' | jq \".items\"",
    "a&&b&lt&gt;&&amp;",
    "user@example.org & <b>",
]


@pytest.mark.parametrize("code", CODE)
@pytest.mark.parametrize(
    ("template", "suffix", "links"),
    [
        ("`{}`", "", []),
        (
            "Quoted `{}` in text, see https://example.org/x?a=1&b=2 too",
            "",
            ["https://example.org/x?a=1&b=2"],
        ),
        ("```\n{}\n```", "\n", []),
        (
            "~~~python\n{}\n~~~\n\nand http://outside.example.org/",
            "\n",
            ["http://outside.example.org/"],
        ),
        ("Indented:\n\n    {}\n\nwww.example.com", "\n", ["http://www.example.com"]),
        ("- item `{}`\n- https://item.example.org/", "", ["https://item.example.org/"]),
        ("| `{}` | https://t.example.org/ |\n|---|---|\n| x | y |", "", ["https://t.example.org/"]),
    ],
)
def test_code_shows_what_was_typed(template: str, suffix: str, links: list[str], code: str) -> None:
    source = template.format(code)
    html = str(sanitize.render_markdown(source))
    texts, tags_inside = code_texts(html)
    assert texts == [code + suffix]
    assert tags_inside == []  # URLs inside code are not linkified
    assert unsafe_markup(html) == []
    assert html == _render_always_linkified(source)  # the shortcut changes nothing
    # URLs outside code still become links.
    assert [dict(attrs)["href"] for tag, attrs in _tags(html) if tag == "a"] == links


def _tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Collect()
    parser.feed(html)
    parser.close()
    return parser.tags


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("`<script>` and a & b", "<p><code>&lt;script&gt;</code> and a &amp; b</p>\n"),
        (
            "see `a && b` at https://example.org",
            '<p>see <code>a &amp;&amp; b</code> at <a href="https://example.org"'
            ' rel="noopener noreferrer nofollow">https://example.org</a></p>\n',
        ),
        ("```\nif a < b && c:\n```", "<pre><code>if a &lt; b &amp;&amp; c:\n</code></pre>\n"),
        (
            "`https://example.org/?a=1&b=2`",
            "<p><code>https://example.org/?a=1&amp;b=2</code></p>\n",
        ),
        (
            "[`a<b && c`](https://x.example/)",
            '<p><a href="https://x.example/" rel="noopener noreferrer nofollow">'
            "<code>a&lt;b &amp;&amp; c</code></a></p>\n",
        ),
    ],
)
def test_code_html(source: str, expected: str) -> None:
    assert str(sanitize.render_markdown(source)) == expected


def test_the_linker_differs_from_bleach_only_inside_code() -> None:
    """Outside code the linker is bleach's own: HTML stored for rationales without code stays
    the same; inside code bleach escapes the text again, the linker does not."""
    linker = sanitize._Linker(parse_email=False, skip_tags={"pre", "code"})
    for source in LINKIFY_CASES + XSS + MARKDOWN_XSS + _corpus():
        html = sanitize._markdown.render(source)
        if "<code" not in html:
            assert linker.linkify(html) == bleach.linkify(
                html, parse_email=False, skip_tags={"pre", "code"}
            ), source
    html = sanitize._markdown.render("`a && b` https://example.org")
    assert "&amp;amp;" in bleach.linkify(html, parse_email=False, skip_tags={"pre", "code"})
    assert "&amp;amp;" not in linker.linkify(html)


# linkify's shortcut: skipping bleach when the text has no URL gives the same cleaned HTML ----


def _render_always_linkified(source: str) -> str:
    """render_markdown without the shortcut: the full linkify on every rendering."""
    html = sanitize._markdown.render(sanitize.strip_control(source or ""))
    html = sanitize._Linker(parse_email=False, skip_tags={"pre", "code"}).linkify(html)
    return str(sanitize.clean_html(html))


LINKIFY_CASES = [
    "The **false** rating follows the table. See the [source](https://stats.example/t/7).",
    '[a](https://x.example/) and [b](http://y.example/?a=1&b=2 "t")',
    "Tom &amp; Jerry < 3 > 2 \"quoted\" 'single' &copy; &#58; &#x3a;",
    "exam*ple.com* and *example*.com and example.<b>com</b>",
    "www.example.com and example.com/path and http://example.org",
    "`https://example.org/` and ```\nhttps://example.org/\n```",
    "<https://autolink.example/> and <mailto:a@b.example>",
    "a@b.com user@example.org",
    "| a | b |\n|---|---|\n| [x](https://t.example) | http://bare.example.com |",
    "> quote with [link](https://q.example)\n\n- item **bold**\n- item _em_",
    "http&#58;//entity.example.com and https&#x3a;//x.com",
    "![img](https://img.example/x.png) ![](javascript:alert(1))",
    "no links here, just prose. The end.",
]


@pytest.mark.parametrize("source", LINKIFY_CASES + XSS + MARKDOWN_XSS)
def test_linkify_shortcut_gives_the_same_html(source: str) -> None:
    assert str(sanitize.render_markdown(source)) == _render_always_linkified(source)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "word",
                " ",
                "\n",
                "\n\n",
                "**",
                "_",
                "`",
                "```\n",
                "~~~\n",
                "\n    ",
                "&&",
                "[",
                "]",
                "(",
                ")",
                "<",
                ">",
                "&",
                "&amp;",
                "&#58;",
                '"',
                "'",
                ".",
                "com",
                "org",
                "example",
                "www.",
                "http://",
                "https://",
                "/",
                "?a=1",
                "#",
                "@",
                "- ",
                "> ",
                "| a |",
                "\u00e9",
                "\u202e",
                "[l](https://l.example/p)",
                "javascript:",
                "mailto:",
                "1.",
                "|---|",
            ]
        ),
        max_size=30,
    ).map("".join)
)
def test_linkify_shortcut_on_generated_markdown(source: str) -> None:
    assert str(sanitize.render_markdown(source)) == _render_always_linkified(source)


def test_linkify_shortcut_is_taken_and_left() -> None:
    """Both paths run: no URL in the text skips bleach, a bare one goes through it."""
    html = sanitize._markdown.render("See the [source](https://s.example/t).")
    assert sanitize.linkify(html) is html
    html = sanitize._markdown.render("See https://s.example.org/t for the table.")
    linked = sanitize.linkify(html)
    assert linked != html and 'href="https://s.example.org/t"' in linked


# The shared corpus (PayloadsAllTheThings and sanitiser advisories) ------------------------------


def _corpus() -> list[str]:
    if not PAYLOADS_FILE.exists():
        return []
    return [line for line in PAYLOADS_FILE.read_text(encoding="utf-8").splitlines() if line]


@pytest.mark.skipif(not PAYLOADS_FILE.exists(), reason=f"{PAYLOADS_FILE} is absent")
@pytest.mark.parametrize("render", [sanitize.render_markdown, sanitize.clean_html])
def test_shared_xss_corpus(render: object) -> None:
    payloads = _corpus()
    assert len(payloads) > 100
    failures = {}
    for payload in payloads:
        for variant in (payload, f"Text before {payload} text after", f"- {payload}\n\n{payload}"):
            problems = unsafe_markup(render(variant))  # type: ignore[operator]
            if problems:
                failures[variant] = problems
    assert not failures, f"{len(failures)} payloads survived, e.g. {list(failures.items())[:5]}"


@pytest.mark.skipif(not PAYLOADS_FILE.exists(), reason=f"{PAYLOADS_FILE} is absent")
def test_linkify_shortcut_on_the_shared_corpus() -> None:
    for payload in _corpus():
        for variant in (payload, f"Text before {payload} text after", f"- {payload}\n\n{payload}"):
            assert str(sanitize.render_markdown(variant)) == _render_always_linkified(variant)


@pytest.mark.parametrize("payload", XSS + MARKDOWN_XSS + ["\x00<\x01script>", "a\u202eb"])
def test_highlighted_escapes_every_segment(payload: str) -> None:
    """Search highlighting: each segment escaped, then only <mark> added around matches."""
    html = sanitize.highlighted([(payload, False), (payload, True), ("ok", True)])
    assert isinstance(html, Markup)
    parser = _Collect()
    parser.feed(str(html))
    parser.close()
    assert [tag for tag, _ in parser.tags] == ["mark", "mark"]
    assert all(attrs == [] for _, attrs in parser.tags)
    cleaned = sanitize.strip_control(payload)
    escaped = str(Markup.escape(cleaned))
    assert str(html) == f"{escaped}<mark>{escaped}</mark><mark>ok</mark>"
    assert sanitize.highlighted([]) == Markup("")
