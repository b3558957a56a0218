"""What readers may see: published claims and only what they reference (all else is a 404).

One function per kind of row, reused by every public page, so the rule lives in one place.
"""

from django.db.models import Exists, OuterRef, Q
from taggit.models import Tag, TaggedItem

from claims.models import Actor, Claim, Event, EventParticipant, Evidence, Passage, Source


def claims():
    return Claim.objects.published()


def events():
    return Event.objects.filter(Exists(claims().filter(event=OuterRef("pk"))))


def actors():
    # Correlated probes from the actor's own rows: `claim__in=claims()` / `event__in=events()`
    # made SQLite list every published claim or public event first (0.4 s at 200,000 claims
    # for an actor public only as a disputer).
    published = claims()
    return Actor.objects.filter(
        Exists(published.filter(claimant=OuterRef("pk")))
        | Exists(published.filter(subjects=OuterRef("pk")))
        | Exists(evidence().filter(actors=OuterRef("pk")))
        | Exists(
            EventParticipant.objects.filter(
                Exists(events().filter(pk=OuterRef("event_id"))), actor=OuterRef("pk")
            )
        )
    )


def with_public_affiliation(actors_queryset):
    """`actors_queryset` annotated `affiliation_is_public`: whether each actor's affiliation is
    itself public, so a page may name it (computed in the same query)."""
    return actors_queryset.annotate(
        affiliation_is_public=Exists(actors().filter(pk=OuterRef("affiliation_id")))
    )


def sources():
    # A join to the claim, not `claim__in=claims()`: SQLite re-ran that IN subquery for every
    # source (20 s per query at 10,000 claims), where the join probes indexes.
    quoted = Evidence.objects.filter(
        passage__source=OuterRef("pk"), claim__status=Claim.Status.PUBLISHED
    )
    return Source.objects.filter(Exists(quoted))


def tags():
    tagged = TaggedItem.objects.filter(
        Q(tag=OuterRef("pk")),
        Exists(claims().filter(pk=OuterRef("object_id"))),  # not IN (every published id)
        content_type__app_label="claims",
        content_type__model="claim",
    )
    return Tag.objects.filter(Exists(tagged))


def evidence():
    return Evidence.objects.filter(claim__status=Claim.Status.PUBLISHED)


def passages():
    """Passages quoted by a published claim's evidence (the others show only inside their
    source's text)."""
    return Passage.objects.filter(
        Exists(
            Evidence.objects.filter(passage=OuterRef("pk"), claim__status=Claim.Status.PUBLISHED)
        )
    )


# The rule for each kind of record the API and the changes feed name ("claim", "actor", …).
BY_KIND = {
    "claim": claims,
    "actor": actors,
    "event": events,
    "source": sources,
    "passage": passages,
    "evidence": evidence,
}
