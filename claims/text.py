"""Plain text helpers shared by models, seeding, ingest and anchoring (no ORM here)."""

import hashlib
import re
import unicodedata

# Characters that analysts paste in one form while articles use another. Each maps to exactly
# one character, so folded text keeps the offsets of the original.
_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)


def normalize_article_text(raw):
    """Normalize an article's text once, at ingest: no BOM, `\\n` newlines, NFC, trimmed ends."""
    text = raw.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    return text.strip("\n")


def content_hash(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fold_punctuation(text):
    """Same-length folding of curly quotes, dashes and odd spaces to their ASCII forms."""
    return text if text.isascii() else text.translate(_FOLD)


_ALIAS_DROP = re.compile(r"[.'\u2019`]")
_ALIAS_SPACE = re.compile(r"[\s\-\u2010-\u2015_/,]+")


def normalize_alias(name):
    """The form aliases are compared in: "Kim Jong-un" == "kim jong un", "U.S." == "US".

    Case, accents, hyphens, dots, apostrophes and spacing do not matter; a run of single
    letters ("u s" from "U. S.") is joined into one word.
    """
    text = unicodedata.normalize("NFKD", fold_punctuation(name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _ALIAS_DROP.sub("", text)
    words = _ALIAS_SPACE.sub(" ", text).strip().split(" ")
    joined, letters = [], ""
    for word in words:
        if len(word) == 1:
            letters += word
            continue
        if letters:
            joined.append(letters)
            letters = ""
        joined.append(word)
    if letters:
        joined.append(letters)
    return " ".join(w for w in joined if w)


_SLUG_DROP = re.compile(r"[^\w\s-]")
_SLUG_DASHES = re.compile(r"[-\s]+")


def slugify(text):
    """django.utils.text.slugify(text) (ASCII slugs), without its lazy-string wrapper and with
    no Unicode normalization for text that is ASCII already: a slug per proposed claim adds up."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _SLUG_DASHES.sub("-", _SLUG_DROP.sub("", text.lower())).strip("-_")


def short_slug(text, max_length=60):
    """A readable slug cut at a word boundary."""
    # Only the slug's first max_length characters count: slugify a prefix when it gives more
    # than that (slugify is the slow part for article-length statements), else the whole text.
    slug = slugify(fold_punctuation(text[: 2 * max_length + 8]))
    if len(slug) <= max_length and len(text) > 2 * max_length + 8:
        slug = slugify(fold_punctuation(text))
    slug = slug[:max_length]
    if len(slug) == max_length and "-" in slug:
        slug = slug.rsplit("-", 1)[0]
    return slug.strip("-") or "item"


def line_spans(text):
    """(start, end) of every non-blank line: a paragraph or heading in our articles."""
    spans, pos = [], 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = pos + line.index(stripped[0])
            spans.append((start, start + len(stripped)))
        pos += len(line) + 1
    return spans


def word_set(words):
    """frozenset of the space-separated words: keeps long word lists readable."""
    return frozenset(words.split())
