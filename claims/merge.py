"""Merge duplicate actors into one: every reference moves over and the old names become aliases.

One transaction. Claims (claimant, subjects), evidence stances, event participations, aliases
and affiliations move to the kept actor; where the kept actor already holds the same link the
duplicate link is dropped rather than doubled. The merged actors are then deleted; the kept
actor's history gets a row saying what was merged into it, and each claim that changed gets a
history row too. Nothing else changes.
"""

from django.db import transaction
from simple_history.utils import bulk_update_with_history

from claims.cache import bump
from claims.models import Actor, ActorAlias, Claim, EventParticipant, Evidence
from claims.text import normalize_alias


class MergeError(ValueError):
    """A merge that must not happen; the message says why in words for a user."""


def check_merge(keep, others, allow_kinds=False):
    """Raise MergeError when merging `others` into `keep` is refused."""
    if not others:
        raise MergeError("Choose at least one other actor to merge into the kept one.")
    if any(o.pk == keep.pk for o in others):
        raise MergeError(f"“{keep}” cannot be merged into itself.")
    kinds = {o.kind for o in others} - {keep.kind}
    if kinds and not allow_kinds:
        raise MergeError(
            f"“{keep}” is a {keep.get_kind_display().lower()} but "
            + ", ".join(
                f"“{o}” is a {o.get_kind_display().lower()}" for o in others if o.kind != keep.kind
            )
            + ": confirm that merging across kinds is intended."
        )


@transaction.atomic
def merge_actors(keep, others, user=None, allow_kinds=False):
    """Merge `others` into `keep`; return a summary dict of how many links moved."""
    others = [o for o in others]
    check_merge(keep, others, allow_kinds)
    ids = [o.pk for o in others]
    moved = {}

    claims = list(Claim.objects.filter(claimant_id__in=ids))
    for claim in claims:
        claim.claimant = keep
    if claims:
        bulk_update_with_history(
            claims,
            Claim,
            ["claimant"],
            default_user=user,
            default_change_reason=f"actor merge into {keep}",
        )
    moved["claims made"] = len(claims)

    moved["claims about"] = _move_m2m(Claim.subjects.through, "claim_id", ids, keep)
    moved["evidence stances"] = _move_m2m(Evidence.actors.through, "evidence_id", ids, keep)

    participations = 0
    for part in EventParticipant.objects.filter(actor_id__in=ids):
        clash = EventParticipant.objects.filter(event_id=part.event_id, actor=keep, role=part.role)
        if clash.exists():
            part.delete()
        else:
            part.actor = keep
            part._history_user = user
            part.save()
        participations += 1
    moved["event participations"] = participations

    moved["aliases"] = ActorAlias.objects.filter(actor_id__in=ids).update(actor=keep)
    for other in others:
        normalized = normalize_alias(other.name)
        if normalized and not ActorAlias.objects.filter(normalized=normalized).exists():
            ActorAlias.objects.create(actor=keep, name=other.name)
    moved["members"] = (
        Actor.objects.filter(affiliation_id__in=ids).exclude(pk=keep.pk).update(affiliation=keep)
    )
    if keep.affiliation_id in ids:
        keep.affiliation = None

    names = ", ".join(f"“{o.name}” (#{o.pk})" for o in others)
    for other in others:
        other._history_user = user
        other._change_reason = f"merged into “{keep.name}” (#{keep.pk})"
        other.delete()
    keep._history_user = user
    keep._change_reason = f"merged {names} into this actor"
    keep.save()
    bump()  # through-table updates send no signals
    return moved


def _move_m2m(through, owner, ids, keep):
    """Point `through` rows at `keep`, dropping rows `keep` already has. Returns rows touched."""
    rows = list(through.objects.filter(actor_id__in=ids).values_list("pk", owner))
    have = set(
        through.objects.filter(actor=keep, **{f"{owner}__in": [o for _, o in rows]}).values_list(
            owner, flat=True
        )
    )
    drop, move, seen = [], [], set(have)
    for pk, o in rows:
        (drop if o in seen else move).append(pk)
        seen.add(o)
    through.objects.filter(pk__in=drop).delete()
    through.objects.filter(pk__in=move).update(actor=keep)
    return len(rows)
