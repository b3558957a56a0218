"""An article as HTML with its evidence passages highlighted (escaped segment by segment).

The article is laid out by its block passages (headings, paragraphs). Evidence passages are
spans that may start and end anywhere and overlap one another: each block is cut at every
span boundary, and each piece is wrapped in one `<mark>` naming the spans covering it, so
overlapping quotes never produce crossed tags. All text goes through `format_html`/`escape`.
"""

import re
from dataclasses import dataclass, field

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe


@dataclass
class Span:
    """An evidence passage to highlight and the claims it links to."""

    pk: int
    start: int
    end: int
    links: list = field(default_factory=list)  # (url, label) pairs, first one is the mark's link
    stances: set = field(default_factory=set)  # "supports" / "disputes": how it is cited


@dataclass
class Block:
    pk: int
    kind: str  # "heading" or "paragraph"
    start: int
    end: int
    repeat_of: int | None = None


def _pieces(text, block, spans):
    """(text, covering spans) pieces of one block, in order."""
    inside = [s for s in spans if s.start < block.end and s.end > block.start]
    cuts = {block.start, block.end}
    for s in inside:
        cuts.update(c for c in (s.start, s.end) if block.start < c < block.end)
    cuts = sorted(cuts)
    for lo, hi in zip(cuts, cuts[1:], strict=False):
        yield text[lo:hi], [s for s in inside if s.start < hi and s.end > lo]


def render_block(text, block, spans, anchored):
    """The inner HTML of one block. `anchored` collects span ids already given an anchor."""
    parts = []
    for piece, covering in _pieces(text, block, spans):
        if not covering:
            parts.append(escape(piece))
            continue
        inner = min(covering, key=lambda s: (s.end - s.start, -s.start))
        new = [s for s in covering if s.pk not in anchored and s.pk != block.pk]
        anchored.update(s.pk for s in new)
        anchors = format_html_join(
            "", '<span id="p-{}" class="anchor"></span>', ((s.pk,) for s in new)
        )
        body = (
            format_html('<a href="{}">{}</a>', inner.links[0][0], piece) if inner.links else piece
        )
        stances = {stance for s in covering for stance in s.stances}
        stance = stances.pop() if len(stances) == 1 else "mixed"
        parts.append(
            format_html(
                '{}<mark class="quote {}{}" title="{}">{}</mark>',
                anchors,
                stance,
                " overlap" if len(covering) > 1 else "",
                "; ".join(label for s in covering for _, label in s.links[:1]),
                body,
            )
        )
    return mark_safe("".join(str(p) for p in parts))  # every part was escaped above


def render_article(text, blocks, spans):
    """[(block, inner_html, spans starting in it)] for the template to lay out."""
    anchored = set()
    out = []
    for block in blocks:
        inner = render_block(text, block, spans, anchored)
        starting = [s for s in spans if block.start <= s.start < block.end]
        out.append((block, inner, starting))
    return out


_WORD = re.compile(r"\w+")


def phrase_pattern(term, prefix=True):
    """A regex for `term`'s words in order with any punctuation or spacing between them ("Kim
    Jong Un" matches "Kim Jong-un"), case-insensitive unless the term is an abbreviation in
    capitals ("US" must not match "us"); with `prefix`, the last word may go on ("weapon" in
    "weapons"). None for a term without a word."""
    words = _WORD.findall(term)
    if not words:
        return None
    body = r"[\W_]*".join(re.escape(w) for w in words) + (r"\w*" if prefix else r"\b")
    return r"\b(?-i:" + body + ")" if term == term.upper() else r"\b(?:" + body + ")"


def terms_pattern(terms):
    """One regex matching any of `terms` (words or phrases, see `phrase_pattern`)."""
    alternatives = [p for p in (phrase_pattern(t) for t in terms) if p]
    if not alternatives:
        return None
    alternatives.sort(key=len, reverse=True)  # the longest phrase wins where two start
    return re.compile("|".join(alternatives), re.IGNORECASE)


def mark_terms(text, terms):
    """`text` escaped, with each match of `terms` in `<mark class="hit">`."""
    pattern = terms_pattern(terms)
    if pattern is None:
        return escape(text)
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(format_html('<mark class="hit">{}</mark>', match.group()))
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(str(p) for p in parts))  # every part was escaped above
