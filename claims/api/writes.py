"""Write endpoints for analysts: a draft claim with evidence by quote, more evidence, a status
move. Each goes through the domain functions the admin uses (claims/quotes.py for quotes,
claims/publishing.py for the workflow and its publishing rule) inside one transaction: a
refused request writes nothing.
"""

from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status as http
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from claims import publishing
from claims.api import records, schemas
from claims.api.access import require
from claims.models import Claim
from claims.quotes import EvidenceError, add_evidence


def _base(request):
    return request.build_absolute_uri("/")[:-1]


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data)
    if not serializer.is_valid():
        raise ValidationError({"errors": serializer.errors})
    return serializer.validated_data


def _add_evidence(claim, items, user):
    """Add every evidence item or none: EvidenceError names the item that failed."""
    added = []
    for n, item in enumerate(items):
        try:
            added.append(
                add_evidence(
                    claim,
                    item["source"],
                    item["quote"],
                    prefix=item.get("prefix", ""),
                    suffix=item.get("suffix", ""),
                    stance=item["stance"],
                    actors=item.get("actors", []),
                    note=item.get("note", ""),
                    user=user,
                )
            )
        except EvidenceError as exc:
            raise ValidationError({"errors": {"evidence": {n: [str(exc)]}}}) from None
    return added


def _detail(request, claim_id, status=http.HTTP_200_OK):
    record = records.claim(claim_id, _base(request), public_only=False)
    return Response(record, status=status)


def create_claim(request):
    """POST /api/v1/claims/: always a draft, authored by the caller."""
    user = request.user
    require(user, "claims.add_claim")
    data = _valid(schemas.ClaimIn, request)
    if data.get("evidence"):
        require(user, "claims.add_evidence", "claims.add_passage")
    with publishing.editing(user) as edit:
        claim = Claim(
            statement=data["statement"].strip(),
            kind=data["kind"],
            claimant=data.get("claimant"),
            event=data.get("event"),
            status=Claim.Status.DRAFT,
            author=user,
        )
        if not claim.statement:
            raise ValidationError({"errors": {"statement": ["Write the claim as one sentence."]}})
        claim._history_user = user
        claim.save()
        edit.watch([claim.pk])
        claim.subjects.set(data.get("subjects", []))
        if data.get("tags"):
            claim.tags.set(data["tags"])
        _add_evidence(claim, data.get("evidence", []), user)
    return _detail(request, claim.pk, http.HTTP_201_CREATED)


def _claim_for_update(pk):
    claim = Claim.objects.select_for_update().filter(pk=pk).first()
    if claim is None:
        raise Http404("No such claim.")
    return claim


@extend_schema(
    request=schemas.EvidenceIn,
    responses={201: schemas.ClaimDetailOut, 400: schemas.Problem},
)
@api_view(["POST"])
def claim_evidence(request, pk):
    """Add one passage, by quote, to a claim. On a published claim this is a material change:
    it stays public only if the caller may publish the new version (the publishing rule),
    otherwise it goes back to review; the answer's `status` says which."""
    user = request.user
    require(user, "claims.change_claim", "claims.add_evidence", "claims.add_passage")
    data = _valid(schemas.EvidenceIn, request)
    with publishing.editing(user, [pk]):
        claim = _claim_for_update(pk)
        _add_evidence(claim, [data], user)
    return _detail(request, pk, http.HTTP_201_CREATED)


@extend_schema(
    request=schemas.StatusIn,
    responses={200: schemas.ClaimDetailOut, 403: schemas.Problem, 409: schemas.Problem},
)
@api_view(["POST"])
def claim_status(request, pk):
    """Move a claim in the review workflow: `in_review` (submit), `published` (the publishing
    rule decides: the Reviewer permission, two-person review), `withdrawn`."""
    user = request.user
    require(user, "claims.change_claim")
    target = _valid(schemas.StatusIn, request)["status"]
    with transaction.atomic():
        claim = _claim_for_update(pk)
        moved, skipped = publishing.move([claim], target, user)
    if moved:
        return _detail(request, pk)
    reason = next(iter(skipped), "refused")
    refused = target == Claim.Status.PUBLISHED and not publishing.may_publish_at_all(user)
    return Response(
        {"detail": f"Not moved: {reason}."},
        status=http.HTTP_403_FORBIDDEN if refused else http.HTTP_409_CONFLICT,
    )
