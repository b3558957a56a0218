"""Resolve a quote (with optional prefix/suffix context) to exact offsets in a source text.

This is the W3C Web Annotation TextQuoteSelector → TextPositionSelector step, shared by the seed
loader, the admin's "evidence by quote" form and the ingest pipeline.
"""

from dataclasses import dataclass

from claims.text import fold_punctuation, line_spans

CONTEXT_CHARS = 32


class AnchorError(ValueError):
    """A quote that cannot be placed in the text; the message says why in words for a user."""


class QuoteNotFound(AnchorError):
    pass


class QuoteAmbiguous(AnchorError):
    def __init__(self, message, offsets):
        super().__init__(message)
        self.offsets = offsets


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    text: str
    prefix: str
    suffix: str


def context_around(text, start, end, chars=CONTEXT_CHARS):
    return text[max(0, start - chars) : start], text[end : end + chars]


def _occurrences(haystack, needle):
    found, pos = [], haystack.find(needle)
    while pos != -1:
        found.append(pos)
        pos = haystack.find(needle, pos + 1)
    return found


def _matches(text, quote, prefix, suffix):
    starts = _occurrences(text, quote)
    if prefix:
        starts = [s for s in starts if text[:s].endswith(prefix)]
    if suffix:
        starts = [s for s in starts if text.startswith(suffix, s + len(quote))]
    return starts


def _collapse_repeats(text, starts, length):
    """Keep only the first copy when every match sits at the same place in a repeated line."""
    spans = line_spans(text)
    places = set()
    for start in starts:
        line = next(((a, b) for a, b in spans if a <= start < b), None)
        if line is None or start + length > line[1]:
            return starts
        places.add((text[line[0] : line[1]], start - line[0]))
    return starts[:1] if len(places) == 1 else starts


def find_quote(text, quote, prefix="", suffix=""):
    """Return the one Anchor where `quote` stands in `text`.

    Exact match first; if none, a match that differs only in curly vs straight quotes, dashes
    and non-breaking spaces. A quote inside a paragraph the article repeats verbatim anchors to
    the first copy. Raises QuoteNotFound or QuoteAmbiguous (with the candidate offsets).
    """
    if not quote or not quote.strip():
        raise QuoteNotFound("The quote is empty.")
    starts = _matches(text, quote, prefix, suffix)
    if not starts:
        starts = _matches(
            fold_punctuation(text),
            fold_punctuation(quote),
            fold_punctuation(prefix),
            fold_punctuation(suffix),
        )
    if not starts:
        where = " with that prefix/suffix" if (prefix or suffix) else ""
        raise QuoteNotFound(f"The quote {_preview(quote)} does not occur in the source{where}.")
    starts = _collapse_repeats(text, starts, len(quote))
    if len(starts) > 1:
        raise QuoteAmbiguous(
            f"The quote {_preview(quote)} occurs {len(starts)} times in the source "
            f"(at offsets {', '.join(map(str, starts))}); add a prefix or suffix "
            "(the words just before or after it) to say which one.",
            starts,
        )
    start = starts[0]
    end = start + len(quote)
    before, after = context_around(text, start, end)
    return Anchor(start, end, text[start:end], before, after)


def _preview(quote, limit=60):
    quote = " ".join(quote.split())
    return f"“{quote[:limit]}…”" if len(quote) > limit else f"“{quote}”"
