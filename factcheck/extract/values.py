"""Normalised values in claim text: quantities, percentages, money, dates, ordinals.

Relative dates ("last December", "about a year ago", "on Thursday") are resolved
against the article's publication date when it is known.
"""

from __future__ import annotations

import calendar
import datetime
import re

__all__ = ["find_values", "parse_date"]

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "a": 1,
    "an": 1,
}
_SCALES = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
    "dozen": 12,
    "k": 1_000,
    "m": 1_000_000,
    "bn": 1_000_000_000,
    "mn": 1_000_000,
    "tn": 1_000_000_000_000,
}
_VAGUE = {
    "dozens": (12, 99),
    "hundreds": (100, 999),
    "thousands": (1_000, 9_999),
    "tens of thousands": (10_000, 99_999),
    "hundreds of thousands": (100_000, 999_999),
    "millions": (1_000_000, 9_999_999),
    "tens of millions": (10_000_000, 99_999_999),
    "hundreds of millions": (100_000_000, 999_999_999),
    "billions": (1_000_000_000, 9_999_999_999),
}
_CURRENCY = {
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "¥": "JPY",
    "yen": "JPY",
    "yuan": "CNY",
    "peso": "COP",
    "pesos": "COP",
    "rupees": "INR",
    "c$": "CAD",
    "a$": "AUD",
}
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9
_WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}

_NUMW = r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"  # noqa: E501
_SCALEW = r"(?:hundred|thousand|million|billion|trillion|dozen)"
_MON = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"  # noqa: E501
_APPROX_T = r"(?:(?P<approx{}>around|about|approximately|roughly|nearly|almost|some|close to|an estimated|an? estimated|up to|as many as|more than|over|at least|fewer than|less than|under|upwards of)\s+)?"  # noqa: E501


def _approx(tag: str) -> str:
    return _APPROX_T.replace("{}", tag)


_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"

# Every value starts at the beginning of a word (or at a digit / currency sign): the leading
# guard lets the engine skip mid-word positions at once (4x faster) and stops bogus
# mid-word matches ("d-one three years ago", "c-over 98%", "ab-out").
_VALUE_RE = re.compile(
    r"(?:(?<![^\W\d_])|(?=[\d$€£¥]))(?=[\w$€£¥])(?:"
    r"(?P<money>"
    + _approx("1")
    + r"(?P<cur1>US\$|C\$|A\$|[$€£¥])\s?(?P<mnum>"
    + _NUM
    + r")(?:\s?(?P<mscale>million|billion|trillion|thousand|bn|mn|tn|m|k)\b)?"
    r"|"
    + _approx("2")
    + r"(?P<mnum2>"
    + _NUM
    + r")(?:\s?(?P<mscale2>million|billion|trillion|thousand))?\s+(?P<cur2>dollars|euros|pounds|pesos|yen|yuan|rupees|usd|eur|gbp)\b)"  # noqa: E501
    r"|(?P<pct>"
    + _approx("3")
    + r"(?P<pnum>"
    + _NUM
    + r"|"
    + _NUMW
    + r"(?:[\s-]"
    + _NUMW
    + r")?)\s?(?:%|percent\b|per cent\b|percentage points?\b))"
    r"|(?P<dmy>\b(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m1>" + _MON + r")\.?,?\s+(?P<y1>\d{4})\b)"
    r"|(?P<mdy>\b(?P<m2>"
    + _MON
    + r")\.?\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<y2>\d{4}))?\b)"
    r"|(?P<my>\b(?P<m3>" + _MON + r")\.?,?\s+(?:of\s+)?(?P<y3>\d{4})\b)"
    r"|(?P<iso>\b(?P<y4>\d{4})-(?P<m4>\d{2})-(?P<d4>\d{2})\b)"
    r"|(?P<rel>\b(?:(?P<rapprox>about|around|nearly|almost|roughly|more than|over)\s+)?(?P<rn>a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,3})\s+(?P<runit>day|week|month|year|decade)s?\s+ago\b"  # noqa: E501
    r"|\b(?P<lastnext>last|this|next|past)\s+(?P<lunit>week|month|year|decade|"
    + _MON
    + r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
    r"|\b(?P<yt>yesterday|today|tomorrow)\b"
    r"|\b(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b)"
    r"|(?P<decade>\b(?:the\s+)?(?P<dec>1[89]\d0|20\d0)s\b)"
    r"|(?P<inmon>\b(?:in|since|until|by|last|early|late|mid-?)\s+(?P<m5>january|february|march|april|(?-i:May)|june|july|august|september|october|november|december)\b(?!\.?,?\s+(?:of\s+)?\d))"
    r"|(?P<year>\b(?P<y6>1[89]\d\d|20\d\d)\b(?![\d,.]\d))"
    r"|(?P<frac>"
    + _approx("6")
    + r"(?P<fnum>a|an|one|two|three|four|nine)[\s-]+(?P<fden>halves|half|thirds?|quarters?|"
    r"fifths?|tenths?)\b(?=\s+of\b)"
    r"|" + _approx("7") + r"(?P<fhalf>half)\b(?=\s+(?:of|the|a|an|its|their|his|her|our)\b)"
    # "rose by a third", "cut by half": the size of a change
    r"|(?<=\bby\s)(?:(?P<fnum2>a|one|two|three)[\s-]+(?P<fden2>half|thirds?|quarters?|fifths?|"
    r"tenths?)|(?P<fhalf2>half))\b(?=\s*(?:[.,;:!?)]|$)|\s+(?:from|since|in|on|to|over|last|"
    r"this|compared|between|after|while|and|but|or|than|per|within|during|by)\b))"
    r"|(?P<ord>\b(?P<otext>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))\b)"
    r"|(?P<vague>"
    + _approx("4")
    + r"(?P<vtext>tens of thousands|hundreds of thousands|tens of millions|hundreds of millions|dozens|hundreds|thousands|millions|billions)\b)"  # noqa: E501
    r"|(?P<qty>" + _approx("5") + r"(?P<qtext>(?:" + _NUM + r")(?:\s?(?:" + _SCALEW + r"|bn|mn)\b)?"
    r"|(?:a|an|"
    + _NUMW
    + r"(?:[\s-]"
    + _NUMW
    + r")?)(?:[\s-]+(?:and\s+)?(?:"
    + _SCALEW
    + r"|"
    + _NUMW
    + r"))*)))",
    re.IGNORECASE,
)


_DENOMINATORS = {"half": 2, "third": 3, "quarter": 4, "fifth": 5, "tenth": 10}
_NEXT_WORD_RE = re.compile(r"[\s-]+([^\W\d_]+)")
_COUNTED = frozenset(
    "people persons dead deaths killed injured wounded children adults men women residents "
    "households families homes houses buildings soldiers civilians officers police troops "
    "workers students patients victims hostages migrants refugees prisoners members votes "
    "seats times hours days weeks months years decades minutes percent points spans bridges "
    "vehicles cars ships boats planes aircraft countries states cities villages districts "
    "schools hospitals companies jobs".split()
)
_APPROX_GROUPS = [k for k in _VALUE_RE.groupindex if k.startswith("approx")]


def _num(s: str) -> float:
    return float(s.replace(",", ""))


def _clean(v: float) -> int | float:
    return int(v) if float(v).is_integer() else round(v, 6)


def _words_to_number(s: str) -> float | None:
    """'two hundred and five' -> 205; digits with scale words are accepted too."""
    total = 0.0
    cur = 0.0
    seen = False
    for w in re.split(r"[\s-]+", s.lower()):
        if not w or w == "and":
            continue
        if w[0].isdigit():
            cur += _num(w)
            seen = True
        elif w in _UNITS:
            cur += _UNITS[w]
            seen = True
        elif w in _SCALES:
            sc = _SCALES[w]
            cur = (cur or 1) * sc
            if sc >= 1000:
                total += cur
                cur = 0
            seen = True
        else:
            return None
    return total + cur if seen else None


def parse_date(value: datetime.date | str | None) -> datetime.date | None:
    """Accept a date, a datetime or an ISO ``YYYY-MM-DD`` string; anything else gives ``None``."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _shift_months(d: datetime.date, months: int) -> tuple[int, int]:
    k = d.year * 12 + d.month - 1 + months
    return k // 12, k % 12 + 1


def _ym(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


# A future tense shortly before a bare weekday or month ("will", "is due to", "is expected to",
# "plans to"): the date is the coming one, not the last one.
_FUTURE_RE = re.compile(
    r"\b(?:will|shall|(?:is|are)\s+(?:due|expected|scheduled|set\s+to|going\s+to|to)|due\s+to|"
    r"scheduled\s+to|plans?\s+to|planning\s+to)\b",
    re.IGNORECASE,
)
_CLAUSE_END_RE = re.compile(r"[.;!?]")
FUTURE_WINDOW = 60


def _future(m: re.Match) -> bool:
    """Is the date matched by ``m`` in a future-tense clause (within a few words before it)?"""
    text = m.string
    a = max(0, m.start() - FUTURE_WINDOW)
    window = text[a : m.start()]
    ends = list(_CLAUSE_END_RE.finditer(window))
    if ends:
        window = window[ends[-1].end() :]
    return _FUTURE_RE.search(window) is not None


def _resolve_relative(m: re.Match, pub: datetime.date | None) -> dict:
    out: dict = {"type": "date", "relative": True}
    if pub is None:
        out["value"] = None
        return out
    if m.group("runit"):
        n = m.group("rn").lower()
        k = 1 if n in ("a", "an") else int(n) if n.isdigit() else _UNITS.get(n, 1)
        unit = m.group("runit").lower()
        if unit == "day":
            out["value"] = (pub - datetime.timedelta(days=k)).isoformat()
        elif unit == "week":
            out["value"] = (pub - datetime.timedelta(weeks=k)).isoformat()
            out["approx"] = True
        elif unit == "month":
            out["value"] = _ym(*_shift_months(pub, -k))
        elif unit == "year":
            out["value"] = _ym(*_shift_months(pub, -12 * k))
        else:
            out["value"] = f"{pub.year - 10 * k:04d}"
        if m.group("rapprox") or unit in ("month", "year", "decade"):
            out["approx"] = True
        return out
    if m.group("yt"):
        w = m.group("yt").lower()
        delta = {"yesterday": -1, "today": 0, "tomorrow": 1}[w]
        out["value"] = (pub + datetime.timedelta(days=delta)).isoformat()
        return out
    if m.group("wd"):
        wd = _WEEKDAYS[m.group("wd").lower()]
        if _future(m):
            # "is due in court on Monday": the coming Monday
            fwd = (wd - pub.weekday()) % 7
            out["value"] = (pub + datetime.timedelta(days=fwd)).isoformat()
        else:
            back = (pub.weekday() - wd) % 7
            out["value"] = (pub - datetime.timedelta(days=back)).isoformat()
        return out
    which = m.group("lastnext").lower()
    unit = m.group("lunit").lower()
    sign = {"last": -1, "past": -1, "this": 0, "next": 1}[which]
    if unit == "year":
        out["value"] = f"{pub.year + sign:04d}"
    elif unit == "month":
        out["value"] = _ym(*_shift_months(pub, sign))
    elif unit == "week":
        out["value"] = (pub + datetime.timedelta(weeks=sign)).isoformat()
        out["approx"] = True
    elif unit == "decade":
        out["value"] = f"{(pub.year // 10 + sign) * 10:04d}s"
    elif unit in _WEEKDAYS:
        wd = _WEEKDAYS[unit]
        if sign < 0:
            back = (pub.weekday() - wd) % 7 or 7
            out["value"] = (pub - datetime.timedelta(days=back)).isoformat()
        else:
            fwd = (wd - pub.weekday()) % 7 or (7 if sign > 0 else 0)
            out["value"] = (pub + datetime.timedelta(days=fwd)).isoformat()
    else:
        mon = _MONTHS.get(unit.rstrip("."), 0)
        if sign < 0:
            y = pub.year if mon < pub.month else pub.year - 1
        elif sign > 0:
            y = pub.year if mon > pub.month else pub.year + 1
        else:
            y = pub.year
        out["value"] = _ym(y, mon)
    return out


def _year_for(mon: int, day: int, pub: datetime.date | None) -> int | None:
    if pub is None:
        return None
    y = pub.year
    try:
        if datetime.date(y, mon, day) - pub > datetime.timedelta(days=60):
            y -= 1
    except ValueError:
        return y
    return y


def _approx_fields(m: re.Match, out: dict) -> None:
    d = m.groupdict()
    a = next((d[k] for k in _APPROX_GROUPS if d.get(k)), None)
    if a:
        a = a.lower()
        out["approx"] = True
        if a in ("more than", "over", "at least", "upwards of"):
            out["bound"] = "lower"
        elif a in ("fewer than", "less than", "under", "up to", "as many as"):
            out["bound"] = "upper"


def find_values(text: str, published: datetime.date | str | None = None) -> list[dict]:
    """Return the normalised values found in ``text``, in order of appearance."""
    pub = parse_date(published)
    out: list[dict] = []
    for m in _VALUE_RE.finditer(text):
        kind = m.lastgroup
        g = m.group
        item: dict
        try:
            if g("money") is not None:
                num = g("mnum") or g("mnum2")
                scale = (g("mscale") or g("mscale2") or "").lower()
                cur = (g("cur1") or g("cur2") or "").lower()
                v = _num(num) * _SCALES.get(scale, 1)
                item = {
                    "type": "money",
                    "value": _clean(v),
                    "currency": _CURRENCY.get(cur, cur.upper()),
                }
                _approx_fields(m, item)
            elif g("pct") is not None:
                p = g("pnum")
                v = _num(p) if p[0].isdigit() else _words_to_number(p)
                if v is None:
                    continue
                item = {"type": "percent", "value": _clean(v)}
                _approx_fields(m, item)
            elif g("dmy") is not None or g("mdy") is not None:
                mon = _MONTHS[(g("m1") or g("m2")).lower().rstrip(".")]
                day = int(g("d1") or g("d2"))
                y = g("y1") or g("y2")
                if not 1 <= day <= 31:
                    continue
                year = int(y) if y else _year_for(mon, day, pub)
                item = {
                    "type": "date",
                    "value": f"{year:04d}-{mon:02d}-{day:02d}"
                    if year
                    else f"--{mon:02d}-{day:02d}",
                }
            elif g("my") is not None:
                mon = _MONTHS[g("m3").lower().rstrip(".")]
                item = {"type": "date", "value": _ym(int(g("y3")), mon)}
            elif g("iso") is not None:
                item = {"type": "date", "value": m.group(0)}
            elif g("rel") is not None:
                item = _resolve_relative(m, pub)
            elif g("decade") is not None:
                item = {"type": "date", "value": g("dec") + "s"}
            elif g("inmon") is not None:
                mon = _MONTHS[g("m5").lower()]
                if pub is None:
                    item = {"type": "date", "value": f"--{mon:02d}", "relative": True}
                elif _future(m):
                    # "is expected to cut rates in May": the coming May
                    y = pub.year if mon >= pub.month else pub.year + 1
                    item = {"type": "date", "value": _ym(y, mon), "relative": True}
                else:
                    y = pub.year if mon <= pub.month else pub.year - 1
                    item = {"type": "date", "value": _ym(y, mon), "relative": True}
            elif g("year") is not None:
                item = {"type": "date", "value": g("y6")}
            elif g("vague") is not None:
                lo, hi = _VAGUE[g("vtext").lower()]
                item = {"type": "quantity", "value": lo, "approx": True, "min": lo, "max": hi}
                _approx_fields(m, item)
            elif g("qty") is not None:
                q = g("qtext")
                ql = q.lower()
                if ql in ("a", "an"):
                    continue
                v = _words_to_number(q)
                if v is None:
                    continue
                small_word = not q[0].isdigit() and v <= 10 and not g("approx5")
                if small_word:
                    # "two of its spans" is no quantity; "three people dead" and "three months" are
                    nm = _NEXT_WORD_RE.match(text, m.end())
                    if not nm or nm.group(1).lower() not in _COUNTED:
                        continue
                item = {"type": "quantity", "value": _clean(v)}
                _approx_fields(m, item)
            elif g("frac") is not None:
                if g("fhalf") or g("fhalf2"):
                    v = 0.5
                else:
                    fnum = g("fnum") or g("fnum2")
                    num = _words_to_number(fnum) if fnum.lower()[0] != "a" else 1
                    v = (num or 1) / _DENOMINATORS[
                        (g("fden") or g("fden2")).lower().rstrip("s").replace("halve", "half")
                    ]
                item = {"type": "fraction", "value": round(v, 4)}
                _approx_fields(m, item)
            elif g("ord") is not None:
                o = g("otext").lower()
                item = {"type": "ordinal", "value": _ORDINALS.get(o) or int(re.sub(r"\D", "", o))}
            else:  # pragma: no cover
                continue
        except (ValueError, OverflowError, KeyError):
            continue
        del kind
        res = {"type": item.pop("type"), "text": m.group(0)}
        res.update(item)
        res["_start"] = m.start()
        res["_end"] = m.end()
        out.append(res)
    return out
