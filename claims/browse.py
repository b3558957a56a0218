"""The browse indexes (`/actors/`, `/sources/`, `/events/`, `/tags/`): every public row of one
kind (claims/public.py decides which), sorted, with its number of published claims.

The count is a correlated subquery in the page's query, so a page is two queries (the count
for the pager, the rows) whatever its size; with a sort by name the database can evaluate it
for the shown rows only.
"""

from dataclasses import dataclass

from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from taggit.models import TaggedItem

from claims import public
from claims.models import Claim, Evidence


def _count(claims):
    """COUNT(*) of `claims` as a scalar subquery (a plain function call: no GROUP BY)."""
    counted = claims.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _actor_claims():
    """Published claims an actor makes or is the subject of (each counted once)."""
    about = Claim.subjects.through.objects.filter(
        claim=OuterRef("pk"), actor=OuterRef(OuterRef("pk"))
    )
    return public.claims().filter(Q(claimant=OuterRef("pk")) | Exists(about))


def _source_claims():
    quoted = Evidence.objects.filter(claim=OuterRef("pk"), passage__source=OuterRef(OuterRef("pk")))
    return public.claims().filter(Exists(quoted))


def _tag_claims():
    tagged = TaggedItem.objects.filter(
        tag=OuterRef(OuterRef("pk")),
        content_type__app_label="claims",
        content_type__model="claim",
        object_id=OuterRef("pk"),
    )
    return public.claims().filter(Exists(tagged))


@dataclass(frozen=True)
class Index:
    """One browse index: its rows, how they may be sorted, how a row is shown."""

    title: str
    noun: str  # "actor": "12 actors"
    rows: object  # () -> queryset of public rows
    claims: object  # () -> the published claims of the outer row (with OuterRef)
    sorts: dict  # sort name -> (label, order_by fields); the first is the default
    fields: tuple  # the columns a row shows (`only()`)
    claims_filter: str = ""  # the /claims/ parameter that lists a row's claims, if any

    def queryset(self, sort):
        _, order = self.sorts[sort]
        rows = self.rows().only(*self.fields)
        return rows.annotate(claim_count=_count(self.claims())).order_by(*order)


BY_NAME = {"name": ("name", ("name", "pk")), "claims": ("most claims", ("-claim_count", "name"))}

INDEXES = {
    "actors": Index(
        title="Actors",
        noun="actor",
        rows=public.actors,
        claims=_actor_claims,
        sorts=BY_NAME,
        fields=("slug", "name", "kind"),
    ),
    "sources": Index(
        title="Sources",
        noun="source",
        rows=public.sources,
        claims=_source_claims,
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
        claims=lambda: public.claims().filter(event=OuterRef("pk")),
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
        claims=_tag_claims,
        sorts=BY_NAME,
        fields=("slug", "name"),
        claims_filter="tag",
    ),
}
