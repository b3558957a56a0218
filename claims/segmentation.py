"""Split an article's text into headings, paragraphs and sentences with exact offsets (pure).

A line is a block. A short line without closing punctuation is a heading. A paragraph that the
article repeats verbatim points to its first occurrence, so it adds no passages or claims twice.
Sentences are found inside paragraphs; those of a repeated paragraph point to the first copy's.
"""

import re
from dataclasses import dataclass

from claims.text import line_spans, word_set

_CLOSING = tuple(".!?:;\"'”’)…")

# Words that end with a full stop without ending the sentence ("Mr. Kim", "U.S. officials").
ABBREVIATIONS = word_set(
    "mr mrs ms dr prof st sen rep gen col lt maj capt sgt gov pres jr sr vs etc eg ie al no nos "
    "inc ltd co corp dept univ approx est fig vol op cf jan feb mar apr jun jul aug sep sept oct "
    "nov dec mt ft rev hon adm cmdr amb"
)
# After an initialism ("U.S.") these words start a new sentence rather than continue a name.
_STARTERS = word_set(
    "The A An This That These Those It Its He She They We I In On At But And Yet So "
    "However Meanwhile Still There Then"
)
_END = re.compile(r"[.!?…]+[\"'”’)\]]*")
_OPENERS = "\"'“‘(["
_LEAD_IN = re.compile(r"(?:(?:[A-Z][\w’'-]*|[a-z]{1,3}),?\s+){0,7}[A-Z][\w’'-]*:\s+(?=\S)")


@dataclass(frozen=True)
class Block:
    kind: str  # "heading" or "paragraph" (Passage.Kind values)
    start: int
    end: int
    repeat_of: int | None = None  # index of the first block with the same text


@dataclass(frozen=True)
class Segment:
    kind: str  # "heading", "paragraph" or "sentence" (Passage.Kind values)
    start: int
    end: int
    repeat_of: int | None = None  # index, in the segment list, of the first copy
    parent: int | None = None  # index of the paragraph a sentence belongs to


def looks_like_heading(line):
    return len(line) <= 120 and len(line.split()) <= 14 and not line.endswith(_CLOSING)


def blocks(text):
    found, first_index = [], {}
    for start, end in line_spans(text):
        line = text[start:end]
        kind = "heading" if looks_like_heading(line) else "paragraph"
        repeat_of = first_index.get(line) if kind == "paragraph" else None
        if repeat_of is None:
            first_index.setdefault(line, len(found))
        found.append(Block(kind, start, end, repeat_of))
    return found


def _word_before(text, pos):
    start = pos
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in _OPENERS:
        start -= 1
    return text[start:pos]


def _is_boundary(text, stop, end, limit):
    """Does the punctuation text[stop:end] end a sentence? (`stop` is the first mark.)"""
    if end >= limit:
        return False
    nxt = text[end]
    if not nxt.isspace():
        # "scene.This": a lowercase word glued to a capitalized one; not "U.S." or "e.g.".
        word = _word_before(text, stop)
        return (
            text[stop] in ".!?"
            and end - stop == 1
            and len(word) >= 2
            and word.isalpha()
            and word.islower()
            and nxt.isupper()
            and end + 1 < limit
            and text[end + 1].islower()
        )
    rest = text[end:limit].lstrip()
    if not rest:
        return False
    first = rest[0]
    if not (first.isupper() or first.isdigit() or first in _OPENERS):
        return False
    if text[stop:end] != ".":  # "?", "!", "...", or a full stop inside closing quotes
        return True
    word = _word_before(text, stop).rstrip(".")
    if word.casefold().replace(".", "") in ABBREVIATIONS:
        return False
    if re.fullmatch(r"(?:[A-Za-z]\.)*[A-Za-z]", word):  # initials: "U.S", "J"
        next_word = re.match(r"[\w’']+", rest)
        return bool(next_word) and next_word.group() in _STARTERS
    return True


def sentences(text, start=0, end=None):
    """(start, end) of each sentence in text[start:end], trimmed, covering every word.

    A short lead-in label ("Charges and Rebuttals: ") at the start is left out of the first
    sentence: it names the paragraph, it is not part of what is said.
    """
    end = len(text) if end is None else end
    lead = _LEAD_IN.match(text, start, end)
    if lead and lead.end() < end:
        start = lead.end()
    spans, begin = [], start
    for mark in _END.finditer(text, start, end):
        if _is_boundary(text, mark.start(), mark.end(), end):
            spans.append((begin, mark.end()))
            begin = mark.end()
    spans.append((begin, end))
    trimmed = []
    for a, b in spans:
        chunk = text[a:b]
        stripped = chunk.strip()
        if stripped:
            a += len(chunk) - len(chunk.lstrip())
            trimmed.append((a, a + len(stripped)))
    return trimmed


def segments(text):
    """Headings and paragraphs, each paragraph followed by its sentences (when more than one).

    A one-sentence paragraph has no separate sentence: the paragraph is that sentence.
    """
    found, block_index = [], {}
    for i, block in enumerate(blocks(text)):
        first = block_index.get(block.repeat_of) if block.repeat_of is not None else None
        block_index[i] = len(found)
        parent = len(found)
        found.append(Segment(block.kind, block.start, block.end, first))
        if block.kind != "paragraph":
            continue
        spans = sentences(text, block.start, block.end)
        if len(spans) == 1 and spans[0] == (block.start, block.end):
            continue
        for n, (a, b) in enumerate(spans):
            repeat = first + 1 + n if first is not None else None
            found.append(Segment("sentence", a, b, repeat, parent))
    return found
