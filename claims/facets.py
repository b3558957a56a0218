"""Facet counts for the claim list: for the claims a list shows, how many have each claimant,
subject, tag, event, source, kind and dispute state. Two queries (the ids, then a UNION ALL of
one grouped query per facet), whatever the number of values.

The counts run over at most `WINDOW` claims, the first ones in the list's order: counting
every match of a million claims seven ways would cost more than the page. The list says when
its counts are from that window. Even so they cost several times the rest of a list page (about
25 ms at 100,000 claims on SQLite), so with the page cache on they are cached per filter state,
whatever the page number, until the next edit (the page cache's version). Every value comes
from a published claim's own fields, so a facet names only what claims/public.py lets readers
see.
"""

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import CharField, Count, Exists, F, OuterRef, Value
from taggit.models import TaggedItem

from claims import cache as page_cache
from claims.models import Claim, Evidence

WINDOW = 500
OPTIONS = 30  # values shown per facet, the most frequent first

FACETS = ("claimant", "subject", "tag", "event", "source", "kind", "disputed")


@dataclass
class Facet:
    name: str
    options: list = field(default_factory=list)  # (value, label, count), most frequent first


@dataclass
class Facets:
    total: int  # claims counted (at most WINDOW)
    windowed: bool  # True when the list has more claims than were counted (the first WINDOW)
    by_name: dict  # name -> Facet

    def __getitem__(self, name):
        return self.by_name[name]


def _part(queryset, facet, slug, label, counted):
    """One grouped query: (facet, value, label, number of claims)."""
    return (
        queryset.order_by()
        .values(facet=Value(facet, output_field=CharField()), value=slug, label=label)
        .annotate(n=Count(counted, distinct=True))
    )


def facet_counts(claims, matches, selected=None):
    """`Facets` for the claims queryset `claims` (already filtered and ordered), of which
    there are `matches` (the list's count, which may be capped).

    `selected`: {facet: value} currently chosen, kept among the options even when rare.
    """
    # The ids first (one query), not a subquery: SQLite ran the list's whole filter (a search,
    # say) again for each facet.
    ids = list(claims.values_list("pk", flat=True)[:WINDOW])
    if not ids:
        ids = [0]  # no claim has id 0: every facet is empty
    window = Claim.objects.filter(pk__in=ids)
    text = CharField()
    disputes = Evidence.objects.filter(claim=OuterRef("pk"), stance=Evidence.Stance.DISPUTES)
    parts = [
        _part(
            window.filter(claimant__isnull=False),
            "claimant",
            F("claimant__slug"),
            F("claimant__name"),
            "pk",
        ),
        _part(
            Claim.subjects.through.objects.filter(claim__in=ids),
            "subject",
            F("actor__slug"),
            F("actor__name"),
            "claim_id",
        ),
        _part(
            TaggedItem.objects.filter(
                content_type__app_label="claims",
                content_type__model="claim",
                object_id__in=ids,
            ),
            "tag",
            F("tag__slug"),
            F("tag__name"),
            "object_id",
        ),
        _part(
            window.filter(event__isnull=False), "event", F("event__slug"), F("event__title"), "pk"
        ),
        _part(
            Evidence.objects.filter(claim__in=ids),
            "source",
            F("passage__source__slug"),
            F("passage__source__title"),
            "claim_id",
        ),
        _part(window, "kind", F("kind"), F("kind"), "pk"),
        _part(
            window.filter(Exists(disputes)),
            "disputed",
            Value("yes", text),
            Value("yes", text),
            "pk",
        ),
    ]
    rows = parts[0].union(*parts[1:], all=True)
    found = {name: Facet(name) for name in FACETS}
    kinds = dict(Claim.Kind.choices)
    for row in rows:
        name = row["facet"]
        if name == "kind":
            found[name].options.append((row["value"], kinds.get(row["value"]), row["n"]))
        else:
            found[name].options.append((row["value"], row["label"], row["n"]))
    windowed, total = matches > WINDOW, min(matches, WINDOW)
    disputed = found["disputed"].options[0][2] if found["disputed"].options else 0
    found["disputed"].options = [
        ("yes", "disputed", disputed),
        ("no", "not disputed", total - disputed),
    ]
    selected = selected or {}
    for name, facet in found.items():
        if name in ("kind", "disputed"):
            continue
        facet.options.sort(key=lambda o: (-o[2], o[1].casefold()))
        shown = facet.options[:OPTIONS]
        chosen = selected.get(name)
        if chosen and all(value != chosen for value, _, _ in shown):
            shown += [o for o in facet.options if o[0] == chosen]
        facet.options = sorted(shown, key=lambda o: o[1].casefold())
    found["kind"].options.sort(key=lambda o: list(kinds).index(o[0]) if o[0] in kinds else 99)
    return Facets(total=total, windowed=windowed, by_name=found)


def cached_facet_counts(claims, matches, params):
    """`facet_counts`, cached for the filter state `params` (the page number aside) while the
    page cache is on: paging through a list counts its facets once."""
    if not settings.CACHE_MIDDLEWARE_SECONDS:
        return facet_counts(claims, matches, params)
    state = sorted((k, v) for k, v in params.items() if k != "page")
    digest = hashlib.sha256(repr((WINDOW, state)).encode()).hexdigest()
    key = f"facets:{page_cache.version()}:{digest}"
    found = cache.get(key)
    if found is None:
        found = facet_counts(claims, matches, params)
        cache.set(key, found, settings.CACHE_MIDDLEWARE_SECONDS)
    return found
