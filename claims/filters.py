"""The claim filters shared by the claim list, its CSV/JSONL exports and `export_claims`.

Query parameters (all optional; a shareable URL is just these in the query string):
`q` search, `disputed` yes/no, `claimant` / `subject` actor slug, `asserted_by` (the claimant or
an actor on a supporting passage) / `disputed_by` (an actor on a disputing passage) actor slug,
`event` slug, `tag` slug,
`source` slug, `kind`, `from` / `to` (ISO dates, inclusive: the claim's date, see
`claim_date`), `status` (only where the caller allows non-public claims), `sort`
(`newest`, `oldest`, `corroborated`). Unknown parameters are ignored; a malformed value is
reported in `errors` and filters nothing out silently — the result is empty instead.
"""

import datetime
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import BooleanField, DateField, Exists, F, OuterRef, Q, Subquery
from django.db.models.expressions import Expression
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact

from claims.models import Claim, Evidence

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

    if q := get("q"):
        queryset = search(queryset, q)
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
    sort = get("sort") or "newest"
    if sort not in SORTS:
        state.errors.append(f"Unknown sort “{sort}”.")
        sort = "newest"
    if sort == "corroborated":
        queryset = queryset.with_supporting_sources()
    if state.errors:
        queryset = queryset.none()
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
