"""The browse indexes (`/actors/`, `/sources/`, `/events/`, `/tags/`): every public row of one
kind (claims/public.py decides which), sorted, with its number of published claims.

The count is a correlated subquery in the page's query, so a page is two queries (the count
for the pager, the rows) whatever its size; with a sort by name the database can evaluate it
for the shown rows only.
"""

from dataclasses import dataclass

from django.db.models import Exists, F, Func, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from taggit.models import TaggedItem

from claims import public
from claims.models import Claim, Evidence


def _count(rows, counted="pk"):
    """COUNT(DISTINCT `counted`) of `rows` as a scalar subquery (a plain function call: no
    GROUP BY), 0 when there are none."""
    counted = rows.order_by().annotate(
        n=Func(F(counted), function="COUNT", template="%(function)s(DISTINCT %(expressions)s)")
    )
    return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), Value(0))


# Each count starts from an index on the outer row (claims by claimant, subject rows by actor,
# evidence by passage…): an OR inside one subquery, or a subquery correlated on the claim, made
# SQLite scan every published claim for every row (20 s a page at 100,000 claims).
PUBLISHED = Claim.Status.PUBLISHED


def _actor_claims():
    """Published claims an actor makes, plus those it is the subject of but does not make."""
    made = _count(Claim.objects.filter(claimant=OuterRef("pk"), status=PUBLISHED))
    about = _count(
        Claim.subjects.through.objects.filter(
            actor=OuterRef("pk"), claim__status=PUBLISHED
        ).exclude(claim__claimant=OuterRef("pk")),
        "claim_id",
    )
    return made + about


def _source_claims():
    quoting = Evidence.objects.filter(passage__source=OuterRef("pk"), claim__status=PUBLISHED)
    return _count(quoting, "claim_id")


def _event_claims():
    return _count(Claim.objects.filter(event=OuterRef("pk"), status=PUBLISHED))


def _tag_claims():
    tagged = TaggedItem.objects.filter(
        tag=OuterRef("pk"),
        content_type__app_label="claims",
        content_type__model="claim",
    ).filter(Exists(public.claims().filter(pk=OuterRef("object_id"))))
    return _count(tagged, "object_id")


@dataclass(frozen=True)
class Index:
    """One browse index: its rows, how they may be sorted, how a row is shown."""

    title: str
    noun: str  # "actor": "12 actors"
    rows: object  # () -> queryset of public rows
    claim_count: object  # () -> the outer row's number of published claims (an expression)
    sorts: dict  # sort name -> (label, order_by fields); the first is the default
    fields: tuple  # the columns a row shows (`only()`)
    claims_filter: str = ""  # the /claims/ parameter that lists a row's claims, if any

    def queryset(self, sort):
        """The rows in `sort`'s order, each annotated `claim_count`: for every row, so only
        for the sort by count (the expensive sort); see `page_rows` otherwise."""
        _, order = self.sorts[sort]
        rows = self.rows().only(*self.fields)
        return rows.annotate(claim_count=self.claim_count()).order_by(*order)

    def ordered(self, sort):
        """The rows in `sort`'s order, counted only once a page of them is chosen
        (`page_rows`) unless the sort needs every count."""
        if sort == "claims":
            return self.queryset(sort)
        return self.rows().order_by(*self.sorts[sort][1])

    def page_rows(self, sort, page_queryset):
        """`page_queryset` (a slice of `ordered(sort)`) with its counts, in one query: the
        counts run for the page's rows only."""
        if sort == "claims":
            return page_queryset
        model = self.rows().model
        chosen = model.objects.filter(pk__in=page_queryset.values("pk"))
        chosen = chosen.only(*self.fields).annotate(claim_count=self.claim_count())
        return chosen.order_by(*self.sorts[sort][1])


BY_NAME = {"name": ("name", ("name", "pk")), "claims": ("most claims", ("-claim_count", "name"))}

INDEXES = {
    "actors": Index(
        title="Actors",
        noun="actor",
        rows=public.actors,
        claim_count=_actor_claims,
        sorts=BY_NAME,
        fields=("slug", "name", "kind"),
    ),
    "sources": Index(
        title="Sources",
        noun="source",
        rows=public.sources,
        claim_count=_source_claims,
        sorts={
            "newest": ("newest", (F("published_on").desc(nulls_last=True), "title", "pk")),
            "title": ("title", ("title", "pk")),
            "claims": ("most claims", ("-claim_count", "title")),
        },
        fields=("slug", "title", "publisher", "published_on"),
        claims_filter="source",
    ),
    "events": Index(
        title="Events",
        noun="event",
        rows=public.events,
        claim_count=_event_claims,
        sorts={
            "date": ("date", (F("start_date").asc(nulls_last=True), "title", "pk")),
            "title": ("title", ("title", "pk")),
            "claims": ("most claims", ("-claim_count", "title")),
        },
        fields=(
            "slug",
            "title",
            "kind",
            "start_date",
            "end_date",
            "date_precision",
            "location",
        ),
        claims_filter="event",
    ),
    "tags": Index(
        title="Tags",
        noun="tag",
        rows=public.tags,
        claim_count=_tag_claims,
        sorts=BY_NAME,
        fields=("slug", "name"),
        claims_filter="tag",
    ),
}
