"""Read an article file (or uploaded bytes) into normalized text plus metadata, or say why not.

Every refusal is an `IngestError` whose message is one line a user can act on; nothing here
touches the database.
"""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from claims.ingest.html import html_to_text
from claims.text import normalize_article_text

EXTENSIONS = (".txt", ".md", ".html", ".htm")
METADATA_KEYS = ("title", "url", "publisher", "published")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+", re.M)
# Bytes that never occur in text files (C0 controls except tab, newline, form feed, CR, ESC).
_CONTROL = frozenset(set(range(0, 9)) | {11, 14, 15, *range(16, 27), 28, 29, 30, 31})
_CONTROL_BYTES = bytes(sorted(_CONTROL))


class IngestError(ValueError):
    """An article that cannot be ingested; str() is the one-line reason."""


@dataclass
class Article:
    text: str
    title: str
    origin: str = ""
    url: str = ""
    publisher: str = ""
    published_on: datetime.date | None = None
    warnings: list[str] = field(default_factory=list)


def max_bytes():
    return settings.INGEST_MAX_BYTES


def size_text(n):
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB"
    return f"{round(n / 1024):,} KB" if n >= 10 * 1024 else f"{n:,} bytes"


def check_size(size, limit=None, whose=""):
    """IngestError when `size` bytes is over `limit` (default INGEST_MAX_BYTES); `whose` names
    a lower limit's owner and what to do instead."""
    limit = max_bytes() if limit is None else limit
    if size > limit:
        raise IngestError(
            f"the file is {size_text(size)}, over the {size_text(limit)} limit{whose}"
        )


def decode(data, *, allow_cp1252=True):
    """bytes → (str, warnings). Refuses binary data, NUL bytes and unknown encodings."""
    if not data.strip():
        raise IngestError("the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError("the file is UTF-16; save it as UTF-8")
    sample = data[:4096]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > max(2, len(sample) // 50):
        raise IngestError("this is a binary file, not a text article")
    nul = data.find(b"\x00")
    if nul != -1:
        raise IngestError(f"the file contains NUL bytes (first at byte {nul}); is it really text?")
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        where = f"invalid UTF-8 at byte {exc.start}"
    if not allow_cp1252:
        raise IngestError(f"the file is not UTF-8 ({where}); save it as UTF-8")
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise IngestError(f"the file is neither UTF-8 nor Windows-1252 ({where})") from None
    return text, [f"not UTF-8 ({where}); read as Windows-1252"]


def parse_date(value, what="published"):
    try:
        return datetime.date.fromisoformat(value.strip()) if value and value.strip() else None
    except ValueError:
        raise IngestError(f"{what} date {value!r} is not a date like 2024-06-19") from None


def split_front_matter(text):
    """A leading `---` block of `key: value` lines → (metadata dict, the rest of the text)."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    meta = {}
    for line in match.group(1).split("\n"):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        if not sep or key not in METADATA_KEYS:
            raise IngestError(
                f"front matter line {line.strip()!r} is not one of "
                f"{', '.join(METADATA_KEYS)} followed by ':'"
            )
        meta[key] = value.strip().strip("\"'")
    return meta, text[match.end() :]


def article_from_text(raw, *, name="", kind="txt", overrides=None, warnings=()):
    """Text as received → Article. `kind` is "txt", "md" or "html"; overrides win over the file."""
    meta, body = split_front_matter(raw.removeprefix("\ufeff"))
    found_title = ""
    if kind == "html":
        body, found_title = html_to_text(body)
    elif kind == "md":
        body = _MD_HEADING.sub("", body)
    text = normalize_article_text(body)
    if not text.strip():
        raise IngestError("the article has no text")
    meta.update({k: v for k, v in (overrides or {}).items() if v})
    first_line = text.split("\n", 1)[0].strip()
    title = meta.get("title") or found_title or (first_line if len(first_line) <= 200 else "")
    return Article(
        text=text,
        title=(title or Path(name).stem or "Untitled article")[:300],
        origin=name[:300],
        url=meta.get("url", ""),
        publisher=meta.get("publisher", "")[:200],
        published_on=parse_date(meta.get("published")),
        warnings=list(warnings),
    )


def kind_of(name):
    suffix = Path(name).suffix.lower()
    return {".md": "md", ".html": "html", ".htm": "html"}.get(suffix, "txt")


def article_from_bytes(data, *, name="", overrides=None, allow_cp1252=True):
    check_size(len(data))
    text, warnings = decode(data, allow_cp1252=allow_cp1252)
    return article_from_text(
        text, name=name, kind=kind_of(name), overrides=overrides, warnings=warnings
    )


def read_article(path, *, overrides=None, allow_cp1252=True):
    path = Path(path)
    if path.suffix.lower() not in EXTENSIONS:
        raise IngestError(f"not an article file (expected {', '.join(EXTENSIONS)})")
    try:
        check_size(path.stat().st_size)
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read the file ({exc.strerror or exc})") from None
    return article_from_bytes(data, name=path.name, overrides=overrides, allow_cp1252=allow_cp1252)


def expand_paths(paths):
    """Files given, plus article files inside folders (sorted); missing paths pass through."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in EXTENSIONS
            )
        else:
            yield path
