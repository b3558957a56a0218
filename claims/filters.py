"""The claim filters shared by the claim list, its CSV/JSONL exports and `export_claims`.

Query parameters (all optional; a shareable URL is just these in the query string):
`q` search, `disputed` yes/no, `claimant` / `subject` actor slug, `asserted_by` (the claimant or
an actor on a supporting passage) / `disputed_by` (an actor on a disputing passage) actor slug,
`event` slug, `tag` slug,
`source` slug, `kind`, `from` / `to` (ISO dates, inclusive: the claim's date, see
`claim_date`), `status` (only where the caller allows non-public claims), `sort`
(`newest`, `oldest`, `corroborated`, `relevance`: the default with `q`, see `search_rank`).
Unknown parameters are ignored; a malformed value is reported in `errors` and filters nothing
out silently — the result is empty instead.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import Expression
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact

from claims import public
from claims.highlight import phrase_pattern
from claims.models import ActorAlias, Claim, Evidence
from claims.text import normalize_alias

SORTS = {
    "newest": ("-created_at", "-id"),
    "oldest": ("created_at", "id"),
    "corroborated": ("-supporting_sources", "-created_at", "-id"),
}
MAX_PARAM_LENGTH = 200
SEARCH_CONFIG = "english"


@dataclass
class ClaimFilter:
    params: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    search_actors: list = field(default_factory=list)  # `ActorMatch`es the search expanded to
    search_terms: list = field(default_factory=list)  # words and names to mark in results
    sort: str = "newest"  # the order applied (`relevance` by default when searching)

    @property
    def active(self):
        return {k: v for k, v in self.params.items() if k != "sort"}


def _clean(value):
    value = (value or "").strip()
    if "\x00" in value or len(value) > MAX_PARAM_LENGTH:
        raise ValueError
    return value


def filter_claims(query, queryset=None, allow_status=False, dispute_state=True):
    """Apply the filters in `query` (a QueryDict or dict) to `queryset`.

    Returns (queryset, ClaimFilter). The queryset is annotated with the dispute state unless
    `dispute_state` is false (the claim list annotates only the page's rows: building the three
    subqueries costs more in Python than a list page's own work).
    Without `allow_status` only published claims are returned.
    """
    state = ClaimFilter()
    if queryset is None:
        queryset = Claim.objects.all()
    if not allow_status:
        queryset = queryset.published()
    if dispute_state:
        queryset = queryset.with_dispute_state()

    def get(name):
        try:
            value = _clean(query.get(name))
        except (ValueError, TypeError):
            state.errors.append(f"The “{name}” filter is malformed.")
            return None
        if value:
            state.params[name] = value
        return value

    rank = None
    if q := get("q"):
        queryset, state.search_actors, state.search_terms = search_with_actors(queryset, q)
        rank = search_rank(queryset, state.search_actors, q.split())
    if (disputed := get("disputed")) is not None and disputed:
        if disputed.lower() in {"yes", "1", "true"}:
            queryset = queryset.disputed()
        elif disputed.lower() in {"no", "0", "false"}:
            queryset = queryset.disputed(False)
        else:
            state.errors.append("“disputed” must be yes or no.")
    if claimant := get("claimant"):
        queryset = queryset.filter(claimant__slug=claimant)
    if subject := get("subject"):
        queryset = queryset.filter(subjects__slug=subject)
    if asserted_by := get("asserted_by"):
        queryset = queryset.filter(
            Q(claimant__slug=asserted_by)
            | Exists(
                Evidence.objects.filter(
                    claim=OuterRef("pk"),
                    stance=Evidence.Stance.SUPPORTS,
                    actors__slug=asserted_by,
                )
            )
        )
    if disputed_by := get("disputed_by"):
        queryset = queryset.filter(
            Exists(
                Evidence.objects.filter(
                    claim=OuterRef("pk"),
                    stance=Evidence.Stance.DISPUTES,
                    actors__slug=disputed_by,
                )
            )
        )
    if event := get("event"):
        queryset = queryset.filter(event__slug=event)
    if tag := get("tag"):
        queryset = queryset.filter(tags__slug=tag)
    if source := get("source"):
        queryset = queryset.filter(
            Exists(Evidence.objects.filter(claim=OuterRef("pk"), passage__source__slug=source))
        )
    if kind := get("kind"):
        if kind in Claim.Kind.values:
            queryset = queryset.filter(kind=kind)
        else:
            state.errors.append(f"Unknown kind “{kind}”.")
    dates = {}
    for name in ("from", "to"):
        if value := get(name):
            try:
                dates[name] = datetime.date.fromisoformat(value)
            except ValueError:
                state.errors.append(f"“{name}” must be a date such as 2024-06-19.")
    if dates:
        queryset = queryset.annotate(claim_date=claim_date())
        if "from" in dates:
            queryset = queryset.filter(claim_date__gte=dates["from"])
        if "to" in dates:
            queryset = queryset.filter(claim_date__lte=dates["to"])
    if allow_status and (status := get("status")):
        statuses = [s.strip() for s in status.split(",") if s.strip()]
        unknown = [s for s in statuses if s not in Claim.Status.values]
        if unknown:
            state.errors.append(f"Unknown status “{', '.join(unknown)}”.")
        else:
            queryset = queryset.filter(status__in=statuses)
    sort = get("sort") or ("relevance" if rank is not None else "newest")
    if sort == "relevance" and rank is None:
        sort = "newest"  # nothing searched: nothing to rank by
    if sort not in SORTS and sort != "relevance":
        state.errors.append(f"Unknown sort “{sort}”.")
        sort = "newest"
    state.sort = sort
    if sort == "corroborated":
        queryset = queryset.with_supporting_sources()
    if state.errors:
        queryset = queryset.none()
    if sort == "relevance":
        return queryset.order_by(rank.asc(), *SORTS["newest"]), state
    return queryset.order_by(*SORTS[sort]), state


def first_supporting_source():
    """The claim's supporting evidence, the earliest published source first (undated last)."""
    return Evidence.objects.filter(claim=OuterRef("pk"), stance=Evidence.Stance.SUPPORTS).order_by(
        F("passage__source__published_on").asc(nulls_last=True), "pk"
    )


def claim_date():
    """A claim's date: when its earliest supporting source was published, or, when no source
    gives a date, the start of its event. A correlated subquery per claim filtered."""
    said = first_supporting_source().values("passage__source__published_on")[:1]
    return Coalesce(Subquery(said, output_field=DateField()), F("event__start_date"))


class StatementMatches(Expression):
    """`to_tsvector(statement) @@ websearch_to_tsquery(q)` (PostgreSQL): the words are in the
    statement itself, not only in a quote. Computed on the rows the search found."""

    output_field = BooleanField()

    def __init__(self, q):
        super().__init__()
        self.q = q

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        sql = (
            f"to_tsvector(%s::regconfig, {table}.statement)"
            " @@ websearch_to_tsquery(%s::regconfig, %s)"
        )
        return sql, (SEARCH_CONFIG, SEARCH_CONFIG, self.q)


class SearchDocumentMatches(Expression):
    """`search_document @@ websearch_to_tsquery(q)` on the query's claims table (whatever alias
    it has, e.g. inside a subquery). The column is PostgreSQL-only, so not a model field."""

    output_field = BooleanField()

    def __init__(self, q):
        super().__init__()
        self.q = q

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        sql = f"{table}.search_document @@ websearch_to_tsquery(%s::regconfig, %s)"
        return sql, (SEARCH_CONFIG, self.q)


def search(queryset, q):
    """Claims whose statement or a quote matches `q`.

    PostgreSQL: full-text search (websearch syntax, English stemming) on the `search_document`
    column that migration 0004_reader_search keeps current, through its GIN index.
    SQLite: every word must appear in the statement or a quote (case-insensitive).
    """
    if connections[queryset.db].vendor == "postgresql":
        return queryset.filter(Exact(SearchDocumentMatches(q), True))
    for word in q.split()[:10]:
        queryset = queryset.filter(
            Q(statement__icontains=word)
            | Exists(Evidence.objects.filter(claim=OuterRef("pk"), passage__text__icontains=word))
        )
    return queryset


MAX_ALIAS_WORDS = 5  # the longest name looked for in a query ("Democratic People's Republic …")


@dataclass
class ActorMatch:
    """A public actor one of whose names the query contains."""

    pk: int
    name: str
    slug: str
    said: str  # the words of the query that named it ("Moscow")
    names: list  # all its names (aliases), to find in text and mark


def find_actors(words):
    """The public actors named by runs of `words` (longest run first, left to right), and the
    words left over. One query: every alias of each actor any run of words is a name of."""
    grams = {}
    for i in range(len(words)):
        for j in range(i + 1, min(i + MAX_ALIAS_WORDS, len(words)) + 1):
            if normalized := normalize_alias(" ".join(words[i:j])):
                grams.setdefault(normalized, (i, j))
    if not grams:
        return [], words
    named = public.actors().filter(aliases__normalized__in=list(grams))
    rows = ActorAlias.objects.filter(actor__in=named).values_list(
        "actor_id", "actor__name", "actor__slug", "name", "normalized"
    )
    actors, by_normalized = {}, {}
    for pk, name, slug, alias, normalized in rows:
        actor = actors.setdefault(pk, ActorMatch(pk, name, slug, "", []))
        actor.names.append(alias)
        by_normalized[normalized] = actor
    found, rest, i = [], [], 0
    while i < len(words):
        for j in range(min(i + MAX_ALIAS_WORDS, len(words)), i, -1):
            actor = by_normalized.get(normalize_alias(" ".join(words[i:j])))
            if actor:
                if actor not in found:
                    actor.said = " ".join(words[i:j])
                    found.append(actor)
                i = j
                break
        else:
            rest.append(words[i])
            i += 1
    return found, rest


def _involves(actor_pk):
    """Claims `actor_pk` makes, is a subject of, or takes a stance on in evidence."""
    return (
        Q(claimant_id=actor_pk)
        | Exists(Claim.subjects.through.objects.filter(claim=OuterRef("pk"), actor_id=actor_pk))
        | Exists(Evidence.objects.filter(claim=OuterRef("pk"), actors__pk=actor_pk))
    )


def _spellings(name):
    """`name` and its words joined by hyphens in every way ("Kim Jong-un", "Kim-Jong-un"…):
    PostgreSQL's parser reads a hyphenated word as one more token, so a phrase with spaces
    does not match it."""
    words = name.replace("-", " ").split()[:MAX_ALIAS_WORDS]
    spellings = [words[0]] if words else []
    for word in words[1:]:
        spellings = [s + sep + word for s in spellings for sep in (" ", "-")]
    return spellings


def _in_text(pattern, word):
    """The statement or a quote matches the regex `pattern`, which needs `word`: a LIKE on
    the word first, so the regex (a Python call per row on SQLite) runs on few rows."""
    return Q(statement__icontains=word, statement__regex=pattern) | Exists(
        Evidence.objects.filter(
            claim=OuterRef("pk"), passage__text__icontains=word, passage__text__regex=pattern
        )
    )


def _mentions(queryset, names):
    """A condition: the statement or a quote contains one of `names` as whole words, in any
    case, but for an abbreviation in capitals, which must match as written ("US", not "us")."""
    capitals = [n for n in names if n == n.upper()]
    if connections[queryset.db].vendor == "postgresql":
        # Phrases through the GIN index; capitals checked by a regex on what it finds.
        words = [n for n in names if n not in capitals]
        phrases = {s.replace('"', " ") for n in words for s in _spellings(n)}
        condition = Q()
        if phrases:
            query = " OR ".join(f'"{p}"' for p in sorted(phrases))
            condition |= Exact(SearchDocumentMatches(query), True)
        for name in capitals:
            found = Exact(SearchDocumentMatches('"' + name.replace('"', " ") + '"'), True)
            words = _words(name)
            pattern = r"\m" + r"[\W_]*".join(words) + r"\M"
            condition |= Q(found) & _in_text(pattern, max(words, key=len))
        return condition
    condition = Q()
    for name in names:  # SQLite: Python's regex (Django registers it)
        if pattern := phrase_pattern(name, prefix=False):
            condition |= _in_text("(?i)" + pattern, max(_words(name), key=len))
    return condition


def _words(name):
    return re.findall(r"\w+", name)


def search_with_actors(queryset, q):
    """`search`, where a run of words naming a public actor (any of its aliases: "Moscow" for
    Russia, "Kim Jong-un" for "Kim Jong Un") stands for that actor: the claims it makes, is
    about or takes a stance on, or whose text names it by any of its names.

    Returns (queryset, [ActorMatch], terms to mark). One query to find the actors.
    """
    actors, rest = find_actors(q.split())
    if not actors:
        return search(queryset, q), [], q.split()
    for actor in actors:
        queryset = queryset.filter(_involves(actor.pk) | _mentions(queryset, actor.names))
    if rest:
        queryset = search(queryset, " ".join(rest))
    return queryset, actors, rest + [n for a in actors for n in a.names]


def _statement_words(queryset, words):
    """A condition: `words` (not actor names) all appear in the statement, as `search` reads
    them on this database."""
    if not words:
        return Q()
    if connections[queryset.db].vendor == "postgresql":
        return Q(Exact(StatementMatches(" ".join(words)), True))
    condition = Q()
    for word in words[:10]:
        condition &= Q(statement__icontains=word)
    return condition


def _statement_names(queryset, names):
    """A condition: the statement names the actor by one of `names` (as `_mentions` reads a
    name: whole words, any case but for an abbreviation in capitals)."""
    postgres = connections[queryset.db].vendor == "postgresql"
    condition = Q()
    for name in names:
        words = _words(name)
        if not words:
            continue
        if postgres:
            pattern = r"\m" + r"[\W_]*".join(re.escape(w) for w in words) + r"\M"
            lookup = "statement__regex" if name == name.upper() else "statement__iregex"
            condition |= Q(**{lookup: pattern})
        elif pattern := phrase_pattern(name, prefix=False):
            condition |= Q(statement__regex="(?i)" + pattern)
    return condition


def search_rank(queryset, actors, words):
    """An expression ordering search results: 0 when the statement itself holds every word of
    the query and names every actor it named, 1 when the statement holds the words and each
    actor is named there or is the claimant, a subject or takes a stance in the evidence,
    2 when the match is (partly) only in quoted passages. Ties keep the list's newest-first
    order. Part of the page's own query: it adds no query."""
    named = {w.casefold() for a in actors for w in a.said.split()}
    rest = [w for w in words if w.casefold() not in named]
    in_statement = _statement_words(queryset, rest)
    by_name = Q()
    by_role = Q()
    for actor in actors:
        named_here = _statement_names(queryset, actor.names)
        by_name &= named_here
        by_role &= named_here | _involves(actor.pk)
    always = Q(pk__isnull=False)  # When() refuses an empty Q()
    return Case(
        When(in_statement & by_name & always, then=Value(0)),
        When(in_statement & by_role & always, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
