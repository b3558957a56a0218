"""Read endpoints of `/api/v1/`. Thin: `access.visible` says which rows, `records` builds them,
`KeysetPagination` pages them; each endpoint runs a fixed number of queries."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from claims import changes
from claims.api import records, schemas, writes
from claims.api.access import sees_all, visible
from claims.api.pagination import KeysetPagination
from claims.filters import SORTS, filter_claims

BY_ID = ("id",)

FILTERS = [
    OpenApiParameter(name, OpenApiTypes.STR, description=text)
    for name, text in (
        ("q", "Words in the statement or a quote (full-text search on PostgreSQL)."),
        ("disputed", "yes or no."),
        ("claimant", "An actor's slug: claims it makes."),
        ("subject", "An actor's slug: claims about it."),
        ("asserted_by", "An actor's slug: its claims and the passages it supports."),
        ("disputed_by", "An actor's slug: claims it disputes."),
        ("event", "An event's slug."),
        ("tag", "A tag's slug."),
        ("source", "A source's slug: claims quoting it."),
        ("kind", "fact, analysis, prediction, attributed_statement, denial or allegation."),
        ("status", "Comma-separated statuses (callers who may see drafts only)."),
        ("sort", "newest (default) or oldest."),
    )
]


def _base(request):
    return request.build_absolute_uri("/")[:-1]


def _page(request, queryset, ordering, build):
    paginator = KeysetPagination()
    ids = paginator.paginate(queryset, request, ordering)
    return paginator.get_paginated_response(build(ids))


def _one(record_list):
    if not record_list:
        raise Http404("No such record, or it is not public.")
    return Response(record_list[0])


@extend_schema(
    methods=["GET"],
    parameters=FILTERS,
    responses=schemas.ClaimOut(many=True),
    operation_id="claims_list",
)
@extend_schema(
    methods=["POST"],
    request=schemas.ClaimIn,
    responses={201: schemas.ClaimDetailOut, 400: schemas.Problem},
    description="A new draft claim by the caller, with evidence by quote.",
)
@api_view(["GET", "HEAD", "POST"])
def claim_list(request):
    """Claims with the public list's filters, newest first; anonymous callers see published
    claims only."""
    if request.method == "POST":
        return writes.create_claim(request)
    user = request.user
    allow_status = user.is_authenticated and user.has_perm("claims.view_claim")
    claims, state = filter_claims(
        request.query_params, allow_status=allow_status, dispute_state=False
    )
    sort = state.params.get("sort", "newest")
    if sort in ("corroborated", "relevance"):
        state.errors.append(f"sort={sort} is not offered by the API; sort newest or oldest.")
    if state.errors:
        raise ValidationError({"errors": state.errors})
    base = _base(request)
    return _page(request, claims, SORTS[sort], lambda ids: records.claims(ids, base))


@extend_schema(responses=schemas.ClaimDetailOut)
@api_view(["GET", "HEAD"])
def claim_detail(request, pk):
    """One claim with its evidence (each passage with its offsets and source)."""
    record = records.claim(pk, _base(request), public_only=not sees_all(request.user, "claim"))
    return _one([record] if record else [])


def _listing(kind, build, schema):
    @extend_schema(responses=schema(many=True), operation_id=f"{kind}_list")
    @api_view(["GET", "HEAD"])
    def listing(request):
        base = _base(request)
        return _page(
            request, visible(kind, request.user), BY_ID, lambda ids: build(ids, base, request)
        )

    listing.__doc__ = f"{kind.capitalize()} records by id; anonymous callers see public ones."
    listing.__name__ = f"{kind}_list"
    return listing


def _detail(kind, build, schema):
    @extend_schema(responses=schema, operation_id=f"{kind}_retrieve")
    @api_view(["GET", "HEAD"])
    def detail(request, pk):
        found = visible(kind, request.user).filter(pk=pk).values_list("pk", flat=True)[:1]
        return _one(build(list(found), _base(request), request))

    detail.__doc__ = f"One {kind} record by id."
    detail.__name__ = f"{kind}_detail"
    return detail


def _actors(ids, base, request):
    return records.actors(ids, base, visible("actor", request.user))


actor_list = _listing("actor", _actors, schemas.ActorOut)
actor_detail = _detail("actor", _actors, schemas.ActorOut)
event_list = _listing(
    "event", lambda ids, base, request: records.events(ids, base), schemas.EventOut
)
event_detail = _detail(
    "event", lambda ids, base, request: records.events(ids, base), schemas.EventOut
)
source_list = _listing("source", lambda ids, base, r: records.sources(ids, base), schemas.SourceOut)
source_detail = _detail(
    "source",
    lambda ids, base, request: records.sources(ids, base, with_text=True),
    schemas.SourceDetailOut,
)
passage_list = _listing("passage", lambda ids, b, r: records.passages(ids, b), schemas.PassageOut)
passage_detail = _detail("passage", lambda ids, b, r: records.passages(ids, b), schemas.PassageOut)
evidence_list = _listing(
    "evidence", lambda ids, b, r: records.evidence_records(ids, b), schemas.EvidenceOut
)
evidence_detail = _detail(
    "evidence", lambda ids, b, r: records.evidence_records(ids, b), schemas.EvidenceOut
)

PLURAL = {
    "claim": "claims",
    "actor": "actors",
    "event": "events",
    "source": "sources",
    "passage": "passages",
    "evidence": "evidence",
}


@extend_schema(
    parameters=[
        OpenApiParameter(
            "since",
            OpenApiTypes.STR,
            description="A `cursor` from an earlier read; omit to read from the first change, "
            "`latest` for no entries and the cursor of the newest one.",
        ),
        OpenApiParameter("limit", OpenApiTypes.INT, description="At most 1,000 (the default)."),
    ],
    responses=schemas.ChangesOut,
)
@api_view(["GET", "HEAD"])
def change_list(request):
    """Every change to public records since a cursor, in an order that never skips one."""
    since = request.query_params.get("since") or None
    raw_limit = request.query_params.get("limit", "")
    if raw_limit and not (
        raw_limit.isascii() and raw_limit.isdigit() and 1 <= int(raw_limit) <= 1000
    ):
        raise ValidationError({"limit": "A whole number from 1 to 1000."})
    limit = int(raw_limit) if raw_limit else changes.MAX_PAGE
    base = _base(request)
    if since == "latest":
        entries, cursor = [], changes.head()
    else:
        try:
            entries, cursor = changes.read(since, limit)
        except changes.BadCursor as exc:
            raise ValidationError({"since": str(exc)}) from None
    for entry in entries:
        entry["api_url"] = (
            f"{base}{records.API}/{PLURAL[entry['type']]}/{entry['id']}/"
            if entry["public"]
            else None
        )
    next_url = (
        f"{base}{records.API}/changes/?since={cursor}"
        if cursor
        else f"{base}{records.API}/changes/"
    )
    return Response({"results": entries, "cursor": cursor or "", "next": next_url})
