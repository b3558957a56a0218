"""A passage in context: the sentences around it, cut at sentence boundaries (pure, no ORM).

Shared by the claim page and the admin. Context never crosses a paragraph (a line) and is
bounded in length, so a passage in a huge one-line article still shows a readable excerpt.
"""

import re
from dataclasses import dataclass

# A sentence ends with . ! ? or … (maybe followed by closing quotes/brackets) and a space.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+")
MAX_SIDE = 400  # characters of context on each side at most


@dataclass(frozen=True)
class Context:
    before: str
    passage: str
    after: str
    cut_before: bool  # the paragraph goes on before `before`
    cut_after: bool  # the paragraph goes on after `after`


def sentence_starts(text):
    return [m.end() for m in _SENTENCE_END.finditer(text)]


def in_context(text, start, end, sentences=1):
    """`text[start:end]` with `sentences` whole sentences before and after, within its paragraph."""
    para_start = text.rfind("\n", 0, start) + 1
    para_end = text.find("\n", end)
    para_end = len(text) if para_end == -1 else para_end
    starts = [para_start] + [para_start + s for s in sentence_starts(text[para_start:para_end])]
    ends = starts[1:] + [para_end]

    first = max((i for i, s in enumerate(starts) if s <= start), default=0)
    last = min((i for i, e in enumerate(ends) if e >= end), default=len(ends) - 1)
    lo = starts[max(0, first - sentences)]
    hi = ends[min(len(ends) - 1, last + sentences)]
    lo = max(lo, start - MAX_SIDE)
    hi = min(hi, end + MAX_SIDE)
    before, after = text[lo:start], text[end:hi]
    if lo > para_start and lo == start - MAX_SIDE:
        before = before.split(" ", 1)[-1]  # do not start mid-word
    return Context(
        before=before,
        passage=text[start:end],
        after=after.rstrip(),
        cut_before=lo > para_start,
        cut_after=hi < para_end,
    )
