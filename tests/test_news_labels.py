"""The hand-labelled news evaluation set (bench/news/*/: dev to fifth) is well formed.

Checks the files only: every article has its labels and meta, every label's offsets give back its
quote, the fields have the right types, spans lie inside the text and none is repeated. It never
runs the claim extractor: the labels are judged against the text alone.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

NEWS = Path(__file__).resolve().parents[1] / "bench" / "news"
ARTICLES = sorted(NEWS.glob("*/*.txt"))
LABELS = sorted(NEWS.glob("*/*.labels.json"))
META = sorted(NEWS.glob("*/*.meta.json"))

REQUIRED = {
    "start": int,
    "end": int,
    "quote": str,
    "wording": str,
    "claimant": list,
    "subject": list,
    "core": bool,
}
META_FIELDS = ("title", "publisher", "author", "published", "style")


def _stem(path: Path) -> Path:
    """bench/news/test/01-x.labels.json -> bench/news/test/01-x"""
    name = path.name
    for suffix in (".labels.json", ".meta.json", ".txt"):
        if name.endswith(suffix):
            return path.with_name(name[: -len(suffix)])
    raise AssertionError(f"unexpected file {path}")


def _ids(paths: list[Path]) -> list[str]:
    return [str(p.relative_to(NEWS)) for p in paths]


def test_the_set_is_there() -> None:
    assert (NEWS / "test").is_dir()
    assert len(list((NEWS / "test").glob("*.txt"))) >= 12


def test_the_fresh_half_is_there_with_its_rule() -> None:
    """bench/news/fresh/: 12 articles labelled by GUIDE.md before any extractor run."""
    assert len(list((NEWS / "fresh").glob("*.txt"))) == 12
    assert len(list((NEWS / "fresh").glob("*.labels.json"))) == 12
    note = (NEWS / "fresh" / "README.md").read_text(encoding="utf-8")
    assert "before anything ran the extractor" in note
    assert "Nobody tunes on it" in note
    assert (NEWS / "GUIDE.md").is_file()


def test_the_fourth_half_is_there_and_no_longer_held_out() -> None:
    """bench/news/fourth/: 12 articles labelled by GUIDE.md before any extractor run, since used."""
    assert len(list((NEWS / "fourth").glob("*.txt"))) == 12
    assert len(list((NEWS / "fourth").glob("*.labels.json"))) == 12
    note = (NEWS / "fourth" / "README.md").read_text(encoding="utf-8")
    assert "before anything ran the extractor" in note
    assert "no longer held out" in note
    fresh = (NEWS / "fresh" / "README.md").read_text(encoding="utf-8")
    assert "no longer held out" in fresh


def test_the_fifth_half_is_there_with_its_rule() -> None:
    """bench/news/fifth/: 12 articles labelled by GUIDE.md before any extractor run, held out."""
    assert len(list((NEWS / "fifth").glob("*.txt"))) == 12
    assert len(list((NEWS / "fifth").glob("*.labels.json"))) == 12
    assert len(list((NEWS / "fifth").glob("*.meta.json"))) == 12
    note = (NEWS / "fifth" / "README.md").read_text(encoding="utf-8")
    assert "before anything ran the extractor" in note
    assert "Nobody tunes on it" in note


@pytest.mark.parametrize("path", LABELS, ids=_ids(LABELS))
def test_borderline_labels_of_the_guide_halves_carry_a_guide_tag(path: Path) -> None:
    """GUIDE.md section 1: a borderline label's note starts with why (opinion:, forecast: ...)."""
    if path.parent.name not in ("fresh", "fourth", "fifth"):
        return
    tags = re.findall(r"`([a-z-]+:)`", (NEWS / "GUIDE.md").read_text(encoding="utf-8"))
    assert "opinion:" in tags and "no-comment:" in tags
    for claim in json.loads(path.read_text(encoding="utf-8"))["claims"]:
        if not claim["core"]:
            assert claim.get("note", "").startswith(tuple(tags)), claim["quote"]


@pytest.mark.parametrize("path", ARTICLES, ids=_ids(ARTICLES))
def test_article_has_labels_meta_and_a_headline(path: Path) -> None:
    stem = _stem(path)
    assert stem.with_name(stem.name + ".labels.json").is_file(), "labels missing"
    assert stem.with_name(stem.name + ".meta.json").is_file(), "meta missing"
    text = path.read_text(encoding="utf-8")
    headline, sep, body = text.partition("\n")
    assert headline.strip() and headline == headline.strip(), "first line is the headline"
    assert sep and body.startswith("\n"), "a blank line follows the headline"
    assert body.strip(), "the article has a body"
    assert "\r" not in text


@pytest.mark.parametrize("path", META, ids=_ids(META))
def test_meta(path: Path) -> None:
    stem = _stem(path)
    assert stem.with_name(stem.name + ".txt").is_file(), "meta without an article"
    meta = json.loads(path.read_text(encoding="utf-8"))
    for field in META_FIELDS:
        assert isinstance(meta.get(field), str) and meta[field].strip(), field
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta["published"])
    date.fromisoformat(meta["published"])


@pytest.mark.parametrize("path", LABELS, ids=_ids(LABELS))
def test_labels(path: Path) -> None:
    stem = _stem(path)
    article = stem.with_name(stem.name + ".txt")
    assert article.is_file(), "labels without an article"
    text = article.read_text(encoding="utf-8")
    data = json.loads(path.read_text(encoding="utf-8"))
    claims = data["claims"]
    assert isinstance(claims, list) and claims
    seen = set()
    for i, claim in enumerate(claims):
        where = f"claim {i}: {claim.get('quote')!r}"
        for field, kind in REQUIRED.items():
            assert field in claim, f"{where} lacks {field}"
            value = claim[field]
            assert isinstance(value, kind), f"{where}: {field} is not {kind.__name__}"
            if kind is int:
                assert not isinstance(value, bool), f"{where}: {field} is a bool"
        assert set(claim) <= set(REQUIRED) | {"note"}, f"{where}: unknown fields"
        if "note" in claim:
            assert isinstance(claim["note"], str) and claim["note"].strip(), where
        start, end = claim["start"], claim["end"]
        assert 0 <= start < end <= len(text), f"{where}: span outside the text"
        assert text[start:end] == claim["quote"], f"{where}: offsets do not give the quote"
        assert claim["quote"] == claim["quote"].strip(), f"{where}: quote has outer spaces"
        assert claim["wording"].strip(), f"{where}: empty wording"
        for field in ("claimant", "subject"):
            assert all(isinstance(x, str) and x.strip() for x in claim[field]), (where, field)
        assert claim["subject"], f"{where}: no subject"
        assert (start, end) not in seen, f"{where}: duplicate span"
        seen.add((start, end))
