"""Who makes a claim: attributions ("X said", "according to X", quoted speakers) and who
a following sentence's "He"/"She" is.

The work is split by what it is about; this module keeps the names the rest of the extractor
and the tests import:

- ``attribution``: source forms, how a sentence attributes what it says;
- ``quotes``: who speaks a quotation;
- ``names``: who a source phrase names (the ``Claimant``, its offsets and kind);
- ``people``: resolution across sentences ("he", "it", "the minister", a bare surname);
- ``opener``: the source a wording opens with.
"""

from __future__ import annotations

from .attribution import _NO_ATTR, _Attr, inference, named_prefix, sentence_attribution
from .names import (
    COUNTRIES,
    ORG_WORDS,
    TITLE_WORDS,
    Claimant,
    find_claimant,
    is_pronoun_source,
    name_of,
    source_phrase,
)
from .opener import wording_source
from .people import People, _context, speaker_label
from .quotes import _BARE_QUOTE_RE, _QUOTE_STMT_RE, quote_speaker

__all__ = [
    "COUNTRIES",
    "ORG_WORDS",
    "TITLE_WORDS",
    "_BARE_QUOTE_RE",
    "_NO_ATTR",
    "_QUOTE_STMT_RE",
    "Claimant",
    "People",
    "_Attr",
    "_context",
    "find_claimant",
    "inference",
    "is_pronoun_source",
    "name_of",
    "named_prefix",
    "quote_speaker",
    "sentence_attribution",
    "source_phrase",
    "speaker_label",
    "wording_source",
]
