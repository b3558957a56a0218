"""Gold sets: real articles with the claims and actors a careful analyst records in them.

A gold set is a folder of article files as `manage.py ingest` reads them (`NAME.txt`, `.md`,
`.html`), each with `NAME.gold.json` beside it; docs/extraction-gold.md describes the format
and how to annotate. Reading is pure (files in, data out) and strict: every problem in a set
is reported at once, naming the file and the claim, and nothing is measured against gold whose
quotes do not stand exactly, and once, in the article.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from claims.anchoring import AnchorError, find_quote
from claims.ingest.reading import EXTENSIONS, IngestError, read_article
from claims.models import Actor, Claim
from claims.text import normalize_alias

GOLD_SUFFIX = ".gold.json"
DEV_SET = settings.BASE_DIR / "tests" / "data" / "extraction" / "dev"
SEED_SET = settings.BASE_DIR / "seeds"
DEFAULT_SETS = (DEV_SET, SEED_SET)

_FILE_KEYS = {"version", "note", "actors", "claims"}
_ACTOR_KEYS = {"key", "name", "kind", "forms", "note"}
_CLAIM_KEYS = {"id", "quote", "prefix", "suffix", "claimant", "co_claimants", "kind"}
_CLAIM_KEYS |= {"disputes", "note"}


class GoldError(ValueError):
    def __init__(self, problems):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class GoldActor:
    key: str
    name: str
    kind: str
    forms: tuple  # surface forms as the article writes them

    @property
    def surface_forms(self):
        """The distinct normalized forms the article uses (alias merges are counted on these)."""
        return frozenset(normalize_alias(f) for f in self.forms)

    @property
    def matching_forms(self):
        """Forms a database actor may carry to count as this actor: the surface forms and the
        canonical name (which an extractor may know although the article never spells it)."""
        return self.surface_forms | {normalize_alias(self.name)}


@dataclass(frozen=True)
class GoldClaim:
    id: str
    quote: str
    start: int
    end: int
    claimant: str
    co_claimants: tuple
    kind: str
    disputes: str | None
    note: str

    @property
    def span(self):
        return (self.start, self.end)

    @property
    def claimants(self):
        return (self.claimant, *self.co_claimants)


@dataclass(frozen=True)
class GoldArticle:
    name: str  # "<set folder>/<file stem>", for reports
    path: Path  # the article file, read as ingest reads it
    text: str
    actors: dict  # key → GoldActor
    claims: tuple

    @property
    def disputed(self):
        """Ids of the claims some other gold claim disputes."""
        return {c.disputes for c in self.claims if c.disputes}


def article_file(gold_path):
    """The article beside `NAME.gold.json`: the one `NAME.<ext>` ingest accepts, or None."""
    stem = gold_path.name.removesuffix(GOLD_SUFFIX)
    found = [gold_path.with_name(stem + ext) for ext in EXTENSIONS]
    found = [p for p in found if p.is_file()]
    return found[0] if len(found) == 1 else None


def read_gold_sets(folders):
    """Every gold article in `folders`, sorted by name; GoldError lists all problems."""
    articles, problems = [], []
    for folder in folders:
        folder = Path(folder)
        paths = sorted(folder.glob("*" + GOLD_SUFFIX)) if folder.is_dir() else []
        if not paths:
            problems.append(f"{folder}: no {GOLD_SUFFIX} files (is it a gold set folder?)")
        for path in paths:
            try:
                articles.append(read_gold_article(path))
            except GoldError as exc:
                problems.extend(exc.problems)
    if problems:
        raise GoldError(problems)
    return sorted(articles, key=lambda a: a.name)


def _load(path):
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GoldError([f"{path}: cannot be read ({exc})"]) from None
    if not isinstance(data, dict) or data.get("version") != 1:
        raise GoldError([f"{path}: not a gold file of version 1"])
    return data


def _unknown_keys(where, item, allowed):
    unknown = sorted(set(item) - allowed) if isinstance(item, dict) else ["(not an object)"]
    return [f"{where}: unknown field(s) {', '.join(unknown)}"] if unknown else []


def read_gold_article(path):
    path = Path(path)
    data = _load(path)
    problems = _unknown_keys(str(path), data, _FILE_KEYS)
    source = article_file(path)
    if source is None:
        raise GoldError([f"{path}: no single article file beside it ({', '.join(EXTENSIONS)})"])
    try:
        text = read_article(source).text
    except IngestError as exc:
        raise GoldError([f"{source}: cannot be ingested ({exc})"]) from None
    actors, actor_problems = _read_actors(path, data.get("actors", []), text)
    claims, claim_problems = _read_claims(path, data.get("claims", []), text, actors)
    problems += actor_problems + claim_problems
    if problems:
        raise GoldError(problems)
    name = f"{path.parent.name}/{path.name.removesuffix(GOLD_SUFFIX)}"
    return GoldArticle(name, source, text, actors, tuple(claims))


def _read_actors(path, items, text):
    actors, problems, owner = {}, [], {}
    for n, item in enumerate(items, 1):
        where = f"{path}: actor {item.get('key', n) if isinstance(item, dict) else n}"
        problems += _unknown_keys(where, item, _ACTOR_KEYS)
        if not isinstance(item, dict):
            continue
        key, name, kind = item.get("key"), item.get("name"), item.get("kind")
        forms = item.get("forms", [])
        if not key or not isinstance(key, str) or key in actors:
            problems.append(f"{where}: needs a unique key")
            continue
        if not name or not isinstance(name, str):
            problems.append(f"{where}: needs a name")
        if kind not in Actor.Kind.values:
            problems.append(f"{where}: kind {kind!r} is not one of {', '.join(Actor.Kind.values)}")
        if not forms or not all(isinstance(f, str) and f.strip() for f in forms):
            problems.append(f"{where}: needs its surface forms (names used in the article)")
            continue
        for form in forms:
            if form not in text:
                problems.append(f"{where}: surface form {form!r} does not occur in the article")
            other = owner.setdefault(normalize_alias(form), key)
            if other != key:
                problems.append(f"{where}: surface form {form!r} is also a form of {other}")
        actors[key] = GoldActor(key, name or key, kind, tuple(forms))
    return actors, problems


def _read_claims(path, items, text, actors):
    claims, problems, ids = [], [], set()
    for n, item in enumerate(items, 1):
        where = f"{path}: claim {item.get('id', n) if isinstance(item, dict) else n}"
        problems += _unknown_keys(where, item, _CLAIM_KEYS)
        if not isinstance(item, dict):
            continue
        claim_id, quote = item.get("id"), item.get("quote")
        if not claim_id or not isinstance(claim_id, str) or claim_id in ids:
            problems.append(f"{where}: needs a unique id")
            continue
        ids.add(claim_id)
        co_claimants = tuple(item.get("co_claimants", ()))
        for key in (item.get("claimant"), *co_claimants):
            if key not in actors:
                problems.append(f"{where}: claimant {key!r} is not one of the file's actors")
        if item.get("kind") not in Claim.Kind.values:
            problems.append(
                f"{where}: kind {item.get('kind')!r} is not one of {', '.join(Claim.Kind.values)}"
            )
        if not isinstance(quote, str):
            problems.append(f"{where}: needs a quote")
            continue
        try:
            anchor = find_quote(text, quote, item.get("prefix", ""), item.get("suffix", ""))
        except AnchorError as exc:
            problems.append(f"{where}: {exc}")
            continue
        if anchor.text != quote:
            problems.append(f"{where}: the quote differs from the article in quotes or dashes")
            continue
        claims.append(
            GoldClaim(
                id=claim_id,
                quote=quote,
                start=anchor.start,
                end=anchor.end,
                claimant=item.get("claimant"),
                co_claimants=co_claimants,
                kind=item.get("kind"),
                disputes=item.get("disputes"),
                note=item.get("note", ""),
            )
        )
    for claim in claims:
        if claim.disputes is not None and (claim.disputes not in ids or claim.disputes == claim.id):
            problems.append(
                f"{path}: claim {claim.id}: disputes {claim.disputes!r}, "
                "which is not another claim of the file"
            )
    return claims, problems
