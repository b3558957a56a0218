"""Bring back a deleted claim from its history: the claim row, its subjects and its evidence.

django-simple-history keeps a last row (type "-") for every deleted claim and evidence. The
claim comes back with its id, so old links work again; evidence whose passage is gone stays
gone (and is counted). Tags are not versioned by django-taggit and are not restored.

A claim deleted while published comes back in review, and is published again only if the person
restoring it may publish it (claims/publishing.py): restoring is not a way around review.
"""

from dataclasses import dataclass

from django.db import transaction

from claims import publishing
from claims.models import Claim, Evidence, Passage


class RestoreError(ValueError):
    pass


@dataclass
class Restored:
    claim: Claim
    evidence: int  # evidence rows restored
    lost: int  # evidence rows whose passage is gone
    held: str = ""  # why a claim deleted while published is back in review instead


def deleted_claims():
    """The last history row of every claim that no longer exists, newest deletion first."""
    return (
        Claim.history.filter(history_type="-")
        .exclude(id__in=Claim.objects.values("pk"))
        .select_related("history_user")
        .order_by("-history_date")
    )


@transaction.atomic
def restore_claim(claim_id, user=None):
    """Recreate claim `claim_id` as it was when deleted, as far as `user` may; a Restored."""
    if Claim.objects.filter(pk=claim_id).exists():
        raise RestoreError(f"Claim #{claim_id} exists; there is nothing to restore.")
    record = Claim.history.filter(id=claim_id, history_type="-").order_by("-history_date").first()
    if record is None:
        raise RestoreError(f"There is no deleted claim #{claim_id} in the history.")
    claim = record.instance
    was_published = claim.status == Claim.Status.PUBLISHED
    if was_published:
        claim.status = Claim.Status.IN_REVIEW
    claim._history_user = user
    claim._change_reason = "restored from history"
    claim.save(force_insert=True)
    # Deleting clears the m2m rows before the "-" row is written: take them from the row before.
    before = record.prev_record or record
    claim.subjects.set([row.actor_id for row in before.subjects.all()])

    restored = lost = 0
    last, previous = {}, {}
    for row in Evidence.history.filter(claim_id=claim_id).order_by("history_date", "history_id"):
        if row.id in last:
            previous[row.id] = last[row.id]
        last[row.id] = row
    for row in last.values():
        if row.history_type != "-" or Evidence.objects.filter(pk=row.id).exists():
            continue
        if not Passage.objects.filter(pk=row.passage_id).exists():
            lost += 1
            continue
        evidence = row.instance
        evidence._history_user = user
        evidence.save(force_insert=True)
        evidence.actors.set([a.actor_id for a in previous.get(row.id, row).actors.all()])
        restored += 1
    held = ""
    if was_published:
        _, skipped = publishing.move([claim], Claim.Status.PUBLISHED, user)
        held = next(iter(skipped), "")
    return Restored(claim, restored, lost, held)
