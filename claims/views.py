"""Public reader pages. Thin: querysets carry the rules, plain modules the logic, templates the
markup. Every page runs a fixed number of queries and is cached until the next edit."""

import re

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode

from claims import actor_map, browse, claim_page, facets, public, timeline
from claims.alternates import claim_list_alternates
from claims.cache import cached_page
from claims.export import claims_csv_response, claims_jsonl_response
from claims.filters import filter_claims
from claims.models import EventParticipant, Evidence, Passage
from claims.reader import (
    LABELS,
    article_blocks,
    claim_jsonld,
    claim_rows,
    filter_labels,
    source_view,
    web_annotations,
)

PAGE_SIZE = 25
PAGE_NUMBER = re.compile(r"[0-9]{1,18}")
COUNT_CAP = 10_000  # 400 pages: past that, filters serve a reader better than paging
SEARCH_COUNT_CAP = 500  # 20 pages; counting 1,000 matches of a common word cost 20 ms at 1M


class CappedPaginator(Paginator):
    """Counts at most `cap` + 1 rows: an exact count of most of a million claims would cost
    more than the page itself. The list says "more than …" instead."""

    def __init__(self, object_list, per_page, cap):
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def count(self):
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self):
        return self.count > self.cap


INDEX_PAGE_SIZE = 50  # rows per page of a browse index
SECTION_SIZE = 20  # rows per section on actor, event and tag pages
HOME_SIZE = 10


def _rows(queryset, limit=None):
    """Claims as list rows (`ClaimRow`), in `queryset`'s order: two queries, ids then rows.

    The dispute-state subqueries then run for the shown rows only: on the whole filtered set
    PostgreSQL may hash every disputing evidence row first, which at a million claims costs
    more than the page.
    """
    ids = list(queryset.values_list("pk", flat=True)[:limit] if limit else queryset)
    return claim_rows(ids)


def _list_url(**params):
    return f"{reverse('claims:claim_list')}?{urlencode(params)}"


@cached_page
def home(request):
    published = public.claims()
    context = {
        "counts": {
            "claims": published.count(),
            "disputed": published.disputed().count(),
            "sources": public.sources().count(),
        },
        "latest": _rows(published, HOME_SIZE),
        "disputed": _rows(published.disputed(), HOME_SIZE),
        "sources": public.sources()
        .order_by("-published_on", "title")
        .only("title", "slug", "publisher", "published_on")[:SECTION_SIZE],
        "timeline": timeline.build(),
    }
    return render(request, "claims/home.html", context)


@cached_page
def claim_list(request):
    claims, state = filter_claims(request.GET, dispute_state=False)
    page_number = request.GET.get("page", "1")
    status = 200
    # ASCII digits only ("²".isdigit() is true, int("²") fails), and few enough for int().
    if not PAGE_NUMBER.fullmatch(page_number) or int(page_number) < 1:
        state.errors.append("“page” must be a whole number from 1.")
        claims, page_number, status = claims.none(), "1", 400
    elif state.errors:
        status = 400
    cap = SEARCH_COUNT_CAP if "q" in state.params else COUNT_CAP
    paginator = CappedPaginator(claims.values_list("pk", flat=True), PAGE_SIZE, cap)
    page = paginator.get_page(min(int(page_number), paginator.num_pages))
    if int(page_number) > paginator.num_pages and paginator.count:
        state.errors.append(f"Page {page_number} is past the last page, {paginator.num_pages}.")
        page.object_list = []
    page.object_list = _rows(page.object_list)
    params = dict(state.params)
    # Facet counts over the same filtered claims (one query, cached across the pages of one
    # filter state); none for a rejected address.
    counts = (
        None if state.errors else facets.cached_facet_counts(claims, paginator.count, state.params)
    )
    labels = filter_labels(state.params)
    context = {
        "page": page,
        "state": state,
        "params": params,
        "labels": labels,
        "facets": counts,
        "facet_controls": _facet_controls(counts, params, labels),
        "alternates": claim_list_alternates(params),
        "prev_url": _list_url(**params, page=page.previous_page_number())
        if page.has_previous()
        else "",
        "next_url": _list_url(**params, page=page.next_page_number()) if page.has_next() else "",
    }
    return render(request, "claims/claim_list.html", context, status=status)


FACET_LABELS = {
    "claimant": "Claimed by",
    "subject": "About",
    "tag": "Tag",
    "event": "Event",
    "source": "Source",
    "kind": "Kind",
    "disputed": "Disputed",
}


def _facet_controls(counts, params, labels):
    """[(name, label, [(value, text, count)], chosen)] for the list's facet selects. A chosen
    value no listed claim has is kept, named as the active filters name it (`labels`)."""
    named = [name for name in params if name in LABELS]
    shown = {name: text for name, (_, text, _) in zip(named, labels, strict=True)}
    controls = []
    for name, label in FACET_LABELS.items():
        options = list(counts[name].options) if counts else []
        chosen = params.get(name, "")
        if name == "disputed":
            chosen = {"1": "yes", "true": "yes", "0": "no", "false": "no"}.get(
                chosen.lower(), chosen.lower()
            )
        if chosen and all(value != chosen for value, _, _ in options):
            options.append((chosen, shown.get(name, chosen), 0))
        controls.append((name, label, options, chosen))
    return controls


def _export(request, respond):
    """Published claims with the list's filters, streamed (never cached whole)."""
    claims, state = filter_claims(request.GET)
    if state.errors:
        return HttpResponse(
            "\n".join(state.errors) + "\n", status=400, content_type="text/plain; charset=utf-8"
        )
    return respond(claims, base_url=request.build_absolute_uri("/"))


def export_csv(request):
    bom = request.GET.get("bom", "") in {"1", "yes", "true"}
    return _export(
        request, lambda claims, base_url: claims_csv_response(claims, bom=bom, base_url=base_url)
    )


def export_jsonl(request):
    return _export(request, claims_jsonl_response)


@cached_page
def claim_detail(request, slug):
    """Two prepared queries (claims/claim_page.py). The dispute state comes from the evidence
    rows shown: the same rule (disputed = has disputing evidence) as the lists' annotation."""
    page = claim_page.load(slug)
    if page is None:
        raise Http404("No published claim has this address.")
    claim = page.claim
    supports = [i for i in page.evidence if i.stance == Evidence.Stance.SUPPORTS]
    disputes = [i for i in page.evidence if i.stance == Evidence.Stance.DISPUTES]
    url = request.build_absolute_uri(claim.get_absolute_url())
    context = {
        "claim": claim,
        "subjects": page.subjects,
        "tags": page.tags,
        "supports": supports,
        "disputes": disputes,
        "disputers": sorted({a for i in disputes for a in i.actors}, key=lambda a: a.name),
        "supporting_sources": len({i.source.pk for i in supports}),
        "reviewed": page.reviewed,
        "last_changed": page.last_changed or claim.published_at,
        "jsonld": claim_jsonld(
            claim,
            page.subjects,
            supports,
            url,
            request.build_absolute_uri("/"),
            modified=page.last_changed,
        ),
        "url": url,
    }
    return render(request, "claims/claim_detail.html", context)


@cached_page
def claim_annotations(request, slug):
    """The claim's passages as W3C Web Annotations, for annotation tools and archives."""
    claim = get_object_or_404(public.claims(), slug=slug)
    evidence = claim.evidence.select_related("passage__source")
    url = request.build_absolute_uri(request.path)
    data = web_annotations(claim, evidence, url, request.build_absolute_uri("/"))
    return JsonResponse(
        data, content_type='application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
    )


@cached_page
def actor_detail(request, slug):
    actors = public.with_public_affiliation(public.actors())
    actor = get_object_or_404(
        actors.select_related("affiliation").prefetch_related("aliases"), slug=slug
    )
    # Joins and correlated EXISTS probes from the actor's own rows: an `IN (published claims)`
    # or `IN (public events)` subquery made SQLite build the whole set first, for every page.
    disputes = (
        public.evidence()
        .filter(actors=actor, stance=Evidence.Stance.DISPUTES)
        .select_related("claim", "passage__source")
        .order_by("-claim__created_at")[:SECTION_SIZE]
    )
    context = {
        "actor": actor,
        "affiliation": actor.affiliation if actor.affiliation_is_public else None,
        "aliases": [a for a in actor.aliases.all() if a.name != actor.name],
        "made": _rows(public.claims().filter(claimant=actor), SECTION_SIZE),
        "about": _rows(public.claims().filter(subjects=actor), SECTION_SIZE),
        "disputes": disputes,
        "participations": EventParticipant.objects.filter(
            Exists(public.events().filter(pk=OuterRef("event_id"))), actor=actor
        ).select_related("event"),
        "made_url": _list_url(claimant=actor.slug),
        "about_url": _list_url(subject=actor.slug),
        "actor_map": actor_map.build(actor),
    }
    return render(request, "claims/actor_detail.html", context)


@cached_page
def event_detail(request, slug):
    event = get_object_or_404(public.events(), slug=slug)
    context = {
        "event": event,
        "participants": EventParticipant.objects.filter(event=event).select_related("actor"),
        "claims": _rows(public.claims().filter(event=event), SECTION_SIZE),
        "claims_url": _list_url(event=event.slug),
        "timeline": timeline.build(event),
    }
    return render(request, "claims/event_detail.html", context)


@cached_page
def source_detail(request, slug):
    source = get_object_or_404(public.sources(), slug=slug)
    passages = Passage.objects.filter(
        source=source, kind__in=[Passage.Kind.HEADING, Passage.Kind.PARAGRAPH]
    ).only("pk", "start", "end")
    # A join to the claim, not `claim__in=public.claims()`: SQLite probed the list of every
    # published claim for each of the source's passages (2 s for 20 rows at 200,000 claims).
    evidence = (
        public.evidence()
        .filter(passage__source=source)
        .select_related("claim", "passage")
        .only("stance", "claim__slug", "claim__statement", "passage__start", "passage__end")
        .order_by("passage__start", "claim__created_at")
    )
    evidence = list(evidence)
    shown, view, errors = source_view(request.GET, evidence)
    counts = {
        stance: len({e.passage_id for e in evidence if e.stance == stance})
        for stance in Evidence.Stance.values
    }
    here = source.get_absolute_url()
    claims = {e.claim.slug: e.claim.statement for e in evidence}
    context = {
        "source": source,
        "blocks": article_blocks(source.text, passages, shown),
        "claim_count": len(claims),
        "claims_url": _list_url(source=source.slug),
        "counts": counts,
        "view": view,
        "errors": errors,
        "views": [
            ("", "All", here, sum(counts.values())),
            ("supports", "Supporting", f"{here}?stance=supports", counts["supports"]),
            ("disputes", "Disputing", f"{here}?stance=disputes", counts["disputes"]),
        ],
        "claims": sorted(claims.items(), key=lambda item: item[1]),
    }
    status = 400 if errors else 200
    return render(request, "claims/source_detail.html", context, status=status)


@cached_page
def tag_detail(request, slug):
    tag = get_object_or_404(public.tags(), slug=slug)
    claims = _rows(public.claims().filter(tags=tag), SECTION_SIZE)
    context = {"tag": tag, "claims": claims, "claims_url": _list_url(tag=tag.slug)}
    return render(request, "claims/tag_detail.html", context)


@cached_page
def map_page(request):
    """The whole actor map (claims/actor_map.py): five queries, whatever the number of claims."""
    return render(request, "claims/actor_map.html", {"actor_map": actor_map.build()})


@cached_page
def browse_index(request, kind):
    """`/actors/`, `/sources/`, `/events/`, `/tags/` (claims/browse.py): two queries a page."""
    index = browse.INDEXES[kind]
    sort = request.GET.get("sort") or next(iter(index.sorts))
    page_number = request.GET.get("page", "1")
    errors = []
    if sort not in index.sorts:
        errors.append(f"Unknown sort “{sort[:50]}”.")
        sort = next(iter(index.sorts))
    if not PAGE_NUMBER.fullmatch(page_number) or int(page_number) < 1:
        errors.append("“page” must be a whole number from 1.")
        page_number = "1"
    paginator = Paginator(index.ordered(sort), INDEX_PAGE_SIZE)
    if int(page_number) > paginator.num_pages:
        errors.append(f"Page {page_number} is past the last page, {paginator.num_pages}.")
        page_number = "1"
    page = paginator.page(int(page_number)) if not errors else None
    if page is not None:
        page.object_list = index.page_rows(sort, page.object_list)
    here = reverse(f"claims:{kind}_index")

    def url(**params):
        return f"{here}?{urlencode(params)}" if params else here

    sort_param = {} if sort == next(iter(index.sorts)) else {"sort": sort}
    context = {
        "index": index,
        "kind": kind,
        "page": page,
        "errors": errors,
        "sorts": [
            (name, label, url(**({} if i == 0 else {"sort": name})), name == sort)
            for i, (name, (label, _)) in enumerate(index.sorts.items())
        ],
        "prev_url": url(**sort_param, page=page.previous_page_number())
        if page and page.has_previous()
        else "",
        "next_url": url(**sort_param, page=page.next_page_number())
        if page and page.has_next()
        else "",
        "claims_url": reverse("claims:claim_list"),
    }
    return render(request, "claims/browse_index.html", context, status=400 if errors else 200)


@cached_page
def timeline_page(request):
    """Every event with published claims on one timeline (claims/timeline.py): one query."""
    return render(request, "claims/timeline.html", {"timeline": timeline.build()})
