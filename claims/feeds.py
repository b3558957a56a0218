"""Atom feeds under /feeds/ (Django's syndication framework): the newest published claims (with
the claim list's filters), disputed claims, per actor, per tag, and withdrawals.

Each feed is two or three queries whatever its length: the claims' ids, then their rows as
plain values (claim, claimant, dispute state), then their tags. Cached like the pages until
the next public edit; Django sends `Last-Modified` from the newest entry.
"""

from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import urlencode
from taggit.models import TaggedItem

import claims.urls  # noqa: F401 (registers the unicode_slug path converter)
from claims import public
from claims.cache import cached_page
from claims.changes import Change
from claims.filters import filter_claims
from claims.models import Claim, slug_url

SIZE = 50
ROW = (
    "pk",
    "slug",
    "statement",
    "kind",
    "claimant__name",
    "is_disputed",
    "disputed_by",
    "supporting_sources",
    "published_at",
    "updated_at",
)


class Item:
    """One claim as a feed entry: plain values, no model instance."""

    def __init__(self, row, tags):
        (
            self.pk,
            self.slug,
            self.statement,
            self.kind,
            self.claimant,
            self.disputed,
            self.disputed_by,
            self.sources,
            self.published_at,
            self.updated_at,
        ) = row
        self.tags = tags

    @property
    def summary(self):
        parts = [f"Claimed by {self.claimant}" if self.claimant else "In the source's own voice"]
        parts.append(dict(Claim.Kind.choices).get(self.kind, self.kind))
        if self.disputed:
            parts.append(f"Disputed by {self.disputed_by}" if self.disputed_by else "Disputed")
        parts.append(f"supported by {self.sources} source{'s' if self.sources != 1 else ''}")
        return " · ".join(parts)


def items_of(queryset):
    """The newest published claims of `queryset` as Items: three queries."""
    ids = list(queryset.order_by("-published_at", "-id").values_list("pk", flat=True)[:SIZE])
    if not ids:
        return []
    tags = {}
    for object_id, name in TaggedItem.objects.filter(
        content_type__app_label="claims", content_type__model="claim", object_id__in=ids
    ).values_list("object_id", "tag__name"):
        tags.setdefault(object_id, []).append(name)
    rows = {
        row[0]: row
        for row in Claim.objects.with_dispute_state()
        .filter(pk__in=ids)
        .order_by()
        .values_list(*ROW)
    }
    return [Item(rows[pk], sorted(tags.get(pk, []))) for pk in ids if pk in rows]


class ClaimFeed(Feed):
    """Newest published claims; the claim list's query parameters filter it."""

    feed_type = Atom1Feed
    title = "Claims KB: newest published claims"
    subtitle = "Claims as they are published: who claimed what, and who disputes it."
    fixed = {}

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except ValueError as exc:  # malformed filters: say so, as the list does
            return HttpResponse(f"{exc}\n", status=400, content_type="text/plain; charset=utf-8")

    def get_object(self, request, *args, **kwargs):
        query = {**request.GET.dict(), **self.fixed}
        claims, state = filter_claims(query, dispute_state=False)
        if state.errors:
            raise ValueError("\n".join(state.errors))
        return {"claims": claims, "params": state.params}

    def link(self, obj):
        return f"{reverse('claims:claim_list')}?{urlencode(obj['params'])}"

    def items(self, obj):
        return items_of(obj["claims"])

    def item_title(self, item):
        return item.statement

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return slug_url("claims:claim_detail", item.slug)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.claimant or None

    def item_categories(self, item):
        return item.tags


class DisputedFeed(ClaimFeed):
    title = "Claims KB: disputed claims"
    subtitle = "Published claims that at least one passage disputes."
    fixed = {"disputed": "yes"}


class ActorFeed(ClaimFeed):
    def get_object(self, request, slug):
        actor = get_object_or_404(public.actors(), slug=slug)
        about = public.claims().filter(subjects=actor).values("pk")
        claims = public.claims().filter(Q(claimant=actor) | Q(pk__in=about))
        return {"claims": claims, "actor": actor}

    def title(self, obj):
        return f"Claims KB: claims by or about {obj['actor'].name}"

    def link(self, obj):
        return obj["actor"].get_absolute_url()

    subtitle = None


class TagFeed(ClaimFeed):
    def get_object(self, request, slug):
        tag = get_object_or_404(public.tags(), slug=slug)
        return {"claims": public.claims().filter(tags=tag), "tag": tag}

    def title(self, obj):
        return f"Claims KB: claims tagged {obj['tag'].name}"

    def link(self, obj):
        return slug_url("claims:tag_detail", obj["tag"].slug)

    subtitle = None


class WithdrawalFeed(Feed):
    """Claims that stopped being public: withdrawn or deleted, newest first. Entries name the
    claim's id and former address, not its text: what was withdrawn is not republished."""

    feed_type = Atom1Feed
    title = "Claims KB: withdrawn and deleted claims"
    subtitle = "Published claims that are no longer public; remove them from your copies."

    def link(self):
        return reverse("claims:claim_list")

    def items(self):
        rows = list(
            Change.objects.filter(
                kind=Change.Kind.CLAIM, change__in=[Change.Verb.WITHDRAWN, Change.Verb.DELETED]
            )
            .exclude(object_id__in=public.claims().values("pk"))
            .order_by("-id")
            .values_list("object_id", "change", "at")[: SIZE * 2]
        )
        latest = {}
        for object_id, change, at in rows:
            latest.setdefault(object_id, (change, at))
        ids = list(latest)[:SIZE]
        slugs = dict(Claim.objects.filter(pk__in=ids).values_list("pk", "slug"))
        for pk, slug in Claim.history.filter(id__in=set(ids) - set(slugs)).values_list(
            "id", "slug"
        ):
            slugs.setdefault(pk, slug)
        return [(pk, *latest[pk], slugs.get(pk, "")) for pk in ids]

    def item_title(self, item):
        pk, change, at, slug = item
        return f"Claim {pk} {change}"

    def item_description(self, item):
        pk, change, at, slug = item
        return f"Claim {pk} is no longer public ({change})."

    def item_link(self, item):
        pk, change, at, slug = item
        return slug_url("claims:claim_detail", slug) if slug else f"/api/v1/claims/{pk}/"

    def item_guid(self, item):
        pk, change, at, slug = item
        return f"tag:claims-kb,2024:claim-{pk}-{change}-{at:%Y%m%dT%H%M%S%f}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item[2]

    def item_updateddate(self, item):
        return item[2]


app_name = "feeds"
urlpatterns = [
    path("claims/", cached_page(ClaimFeed()), name="claims"),
    path("disputed/", cached_page(DisputedFeed()), name="disputed"),
    path("withdrawals/", cached_page(WithdrawalFeed()), name="withdrawals"),
    path("actors/<slug:slug>/", cached_page(ActorFeed()), name="actor"),
    path("tags/<unicode_slug:slug>/", cached_page(TagFeed()), name="tag"),
]
