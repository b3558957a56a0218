"""The review workflow: draft → in review → published, or withdrawn. Shared by the admin's form
and its bulk actions, so both refuse the same things with the same words.

Publishing needs the `claims.publish_claim` permission (the Reviewer group). With
`settings.TWO_PERSON_REVIEW` on, nobody may publish a claim they authored alone: someone else
must have edited it too (its history shows who did).
"""

from django.conf import settings
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from claims.models import Claim

Status = Claim.Status

# The statuses each move starts from.
MOVES = {
    Status.IN_REVIEW: {Status.DRAFT, Status.WITHDRAWN},
    Status.PUBLISHED: {Status.IN_REVIEW},
    Status.WITHDRAWN: {Status.DRAFT, Status.IN_REVIEW, Status.PUBLISHED},
}


def authored_alone(claims, user):
    """Ids of `claims` that `user` authored and nobody else ever edited (one query)."""
    mine = [c.pk for c in claims if c.author_id == user.pk]
    if not mine:
        return set()
    helped = set(
        Claim.history.filter(id__in=mine, history_user__isnull=False)
        .exclude(history_user=user)
        .values_list("id", flat=True)
    )
    return set(mine) - helped


def publish_refusal(user, claim):
    """Why `user` may not publish `claim`, or "" when they may."""
    if not user.has_perm("claims.publish_claim"):
        return "Publishing needs the “Can publish claims” permission (the Reviewer group)."
    if settings.TWO_PERSON_REVIEW and claim.pk and authored_alone([claim], user):
        return (
            "Two-person review is on: you wrote this claim alone, so another reviewer must "
            "publish it."
        )
    if settings.TWO_PERSON_REVIEW and not claim.pk:
        return "Two-person review is on: save the claim first; another reviewer publishes it."
    return ""


def move(claims, status, user):
    """Move every claim that may go to `status`; return (moved count, {reason: count} skipped).

    One history row per claim changed (bulk, with the user); public page caches are bumped.
    """
    claims = list(claims)
    skipped = {}

    def skip(reason):
        skipped[reason] = skipped.get(reason, 0) + 1

    if status == Status.PUBLISHED and not user.has_perm("claims.publish_claim"):
        return 0, {publish_refusal(user, Claim()): len(claims)}
    alone = authored_alone(claims, user) if status == Status.PUBLISHED else set()
    moving = []
    for claim in claims:
        if claim.status == status:
            skip(f"already {Status(status).label.lower()}")
        elif claim.status not in MOVES[status]:
            was, to = Status(claim.status).label.lower(), Status(status).label.lower()
            skip(f"{was} cannot move to {to}")
        elif settings.TWO_PERSON_REVIEW and claim.pk in alone:
            skip("two-person review: you wrote them alone")
        else:
            claim.status = status
            if status == Status.PUBLISHED and claim.published_at is None:
                claim.published_at = timezone.now()
            claim.updated_at = timezone.now()
            claim._history_user = user
            moving.append(claim)
    if moving:
        bulk_update_with_history(
            moving, Claim, ["status", "published_at", "updated_at"], default_user=user
        )
    return len(moving), skipped
