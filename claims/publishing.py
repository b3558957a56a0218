"""The publishing rule: who may make a claim public, what counts as a second person, and what a
change to a public claim does. Every route that writes claims goes through it: the claim form,
the bulk actions, History → revert, restore, the evidence and passage pages, `import_kb`,
`load_seeds` (and `ingest`, which writes drafts only); scripts and a future API call the same
functions. docs/publishing.md has the rules as a table.

- Publishing (into *published*, from *in review*) needs the `claims.publish_claim` permission.
- A claim's content is what a reader sees of it: statement, claimant, subjects, event, kind, and
  each evidence row's passage, stance, actors and note. `fingerprints()` hashes it; status and
  tags are not content.
- With `settings.TWO_PERSON_REVIEW` on, a claim's contributors are its author and everyone who
  ever changed its content (a "wrote" ReviewMark). A contributor may publish only a version
  that a different user with the permission approved (an "approved" mark on that fingerprint,
  left by the approve action or by publishing). Status moves are neither.
- A change to a published claim's content keeps it public only if the person changing it may
  publish the new version; otherwise it goes back to review (`editing()`).
"""

import hashlib
import json
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from claims.models import Claim, Evidence, ReviewMark

PERMISSION = "claims.publish_claim"
Status = Claim.Status
WROTE, APPROVED = ReviewMark.Kind.WROTE, ReviewMark.Kind.APPROVED

# The statuses each move starts from.
MOVES = {
    Status.IN_REVIEW: {Status.DRAFT, Status.WITHDRAWN},
    Status.PUBLISHED: {Status.IN_REVIEW},
    Status.WITHDRAWN: {Status.DRAFT, Status.IN_REVIEW, Status.PUBLISHED},
}

NEEDS_PERMISSION = "publishing needs the “Can publish claims” permission (the Reviewer group)"
NEEDS_SECOND_PERSON = (
    "two-person review is on: you wrote or changed this claim, so a different reviewer must "
    "approve this exact version (or publish it)"
)
# The same, short enough for a history row's change reason (100 characters).
IN_HISTORY = {
    NEEDS_PERMISSION: "back to review: changed by someone who may not publish",
    NEEDS_SECOND_PERSON: "back to review: two-person review, changed by a contributor",
}
BATCH = 500  # ids per IN list


def _batches(ids):
    ids = list(ids)
    for i in range(0, len(ids), BATCH):
        yield ids[i : i + BATCH]


# -- content ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    status: str
    updated_at: object
    fingerprint: str


def versions(claim_ids, lock=False):
    """{claim id: Version} for those of `claim_ids` that exist: four queries per 500 claims.
    `lock`: hold the claims' rows until the transaction ends (PostgreSQL; SQLite transactions
    here take the write lock when they begin)."""
    found = {}
    for ids in _batches(claim_ids):
        found.update(_versions(ids, lock))
    return found


def _versions(ids, lock):
    claims = Claim.objects.filter(pk__in=ids).order_by()
    claims = list(
        (claims.select_for_update() if lock else claims).values_list(
            "pk", "status", "updated_at", "statement", "claimant_id", "event_id", "kind"
        )
    )
    subjects = defaultdict(list)
    for claim_id, actor_id in Claim.subjects.through.objects.filter(claim_id__in=ids).values_list(
        "claim_id", "actor_id"
    ):
        subjects[claim_id].append(actor_id)
    evidence = {}  # evidence id -> (claim id, what it says, [actor ids])
    for pk, claim_id, *says in (
        Evidence.objects.filter(claim_id__in=ids)
        .order_by()
        .values_list(
            "pk",
            "claim_id",
            "passage__source_id",
            "passage__start",
            "passage__end",
            "stance",
            "note",
        )
    ):
        evidence[pk] = (claim_id, says, [])
    for evidence_id, actor_id in Evidence.actors.through.objects.filter(
        evidence__claim_id__in=ids
    ).values_list("evidence_id", "actor_id"):
        if evidence_id in evidence:
            evidence[evidence_id][2].append(actor_id)
    rows = defaultdict(list)
    for claim_id, says, actors in evidence.values():
        rows[claim_id].append([*says, sorted(actors)])
    return {
        pk: Version(status, updated_at, _digest(fields, sorted(subjects[pk]), sorted(rows[pk])))
        for pk, status, updated_at, *fields in claims
    }


def _digest(*content):
    """The hash of one claim's content; evidence rows count by what they say, not their ids."""
    data = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode()).hexdigest()


def fingerprints(claim_ids):
    return {pk: v.fingerprint for pk, v in versions(claim_ids).items()}


# -- who may publish ------------------------------------------------------------------------------


def may_publish_at_all(user):
    return user is not None and user.is_authenticated and user.has_perm(PERMISSION)


def refusals(user, claims):
    """Why `user` may not publish each of `claims` as they are now ("" where they may), in
    order. Claims not saved yet (a file being imported) have their author as only contributor.
    A fixed number of queries."""
    claims = list(claims)
    if not may_publish_at_all(user):
        return [NEEDS_PERMISSION] * len(claims)
    if not settings.TWO_PERSON_REVIEW:
        return [""] * len(claims)
    wrote = _marked(WROTE, user, [c.pk for c in claims if c.pk is not None])
    mine = [c.author_id == user.pk or c.pk in wrote for c in claims]
    contributed = [c.pk for c, is_mine in zip(claims, mine, strict=True) if is_mine and c.pk]
    approved = _approved_by_others(user, contributed)
    return [
        NEEDS_SECOND_PERSON if is_mine and c.pk not in approved else ""
        for c, is_mine in zip(claims, mine, strict=True)
    ]


def publish_refusal(user, claim):
    """Why `user` may not publish `claim` as it is now, or "" when they may."""
    return refusals(user, [claim])[0]


def _marked(kind, user, claim_ids):
    if not claim_ids:
        return set()
    marks = ReviewMark.objects.filter(kind=kind, user=user, claim_id__in=claim_ids)
    return set(marks.values_list("claim_id", flat=True))


def _approved_by_others(user, claim_ids):
    """Ids of `claim_ids` whose current version a user other than `user`, who may still
    publish, approved."""
    if not claim_ids:
        return set()
    current = fingerprints(claim_ids)
    marks = (
        ReviewMark.objects.filter(kind=APPROVED, claim_id__in=claim_ids)
        .filter(user__in=get_user_model().objects.with_perm(PERMISSION))
        .exclude(user=user)
        .values_list("claim_id", "fingerprint")
    )
    return {claim_id for claim_id, fingerprint in marks if current.get(claim_id) == fingerprint}


def _mark(kind, user, fingerprints_by_claim):
    if user is None or not user.is_authenticated or not fingerprints_by_claim:
        return
    ReviewMark.objects.bulk_create(
        [
            ReviewMark(claim_id=pk, user=user, kind=kind, fingerprint=fingerprint)
            for pk, fingerprint in fingerprints_by_claim.items()
        ],
        ignore_conflicts=True,
    )


def signoffs(claim):
    """(names of who wrote or changed `claim`, names of who approved its current version)."""
    current = fingerprints([claim.pk]).get(claim.pk)
    marks = ReviewMark.objects.filter(claim_id=claim.pk).select_related("user")
    wrote = {m.user.get_username() for m in marks if m.kind == WROTE}
    if claim.author is not None:
        wrote.add(claim.author.get_username())
    approved = {
        m.user.get_username() for m in marks if m.kind == APPROVED and m.fingerprint == current
    }
    return sorted(wrote), sorted(approved)


# -- routes ---------------------------------------------------------------------------------------


def move(claims, status, user):
    """Move every claim that may go to `status`; return (moved count, {reason: count} skipped).

    The bulk actions' workflow (and an API's): one history row per claim moved, with the user;
    publishing counts as the publisher's approval of that version. A fixed number of queries.
    """
    claims = list(claims)
    reasons = refusals(user, claims) if status == Status.PUBLISHED else [""] * len(claims)
    skipped, moving = Counter(), []
    for claim, reason in zip(claims, reasons, strict=True):
        if claim.status == status:
            skipped[f"already {Status(status).label.lower()}"] += 1
        elif claim.status not in MOVES[status]:
            was, to = Status(claim.status).label.lower(), Status(status).label.lower()
            skipped[f"{was} cannot move to {to}"] += 1
        elif reason:
            skipped[reason] += 1
        else:
            claim.status = status
            if status == Status.PUBLISHED and claim.published_at is None:
                claim.published_at = timezone.now()
            claim.updated_at = timezone.now()
            moving.append(claim)
    if moving:
        _update_with_history(moving, ["status", "published_at", "updated_at"], user)
        if status == Status.PUBLISHED:
            _mark(APPROVED, user, fingerprints([c.pk for c in moving]))
    return len(moving), dict(skipped)


def _update_with_history(claims, fields, user):
    """bulk_update_with_history, and the subjects each new history row holds: simple_history
    copies many-to-many fields on save() only, and a row without them reads as "no subjects"
    to a restore (which would lose them) and to the history's diffs."""
    now = timezone.now()
    bulk_update_with_history(claims, Claim, fields, default_user=user, default_date=now)
    Subjects = apps.get_model("claims", "HistoricalClaim_subjects")
    for ids in _batches(c.pk for c in claims):
        rows = Claim.history.filter(id__in=ids, history_date=now)
        row_of = dict(rows.values_list("id", "history_id"))
        links = Claim.subjects.through.objects.filter(claim_id__in=ids)
        Subjects.objects.bulk_create(
            Subjects(history_id=row_of[claim_id], id=pk, claim_id=claim_id, actor_id=actor_id)
            for pk, claim_id, actor_id in links.values_list("pk", "claim_id", "actor_id")
        )


def approve(claims, user):
    """Record `user`'s approval of the current version of each claim in review (it stays in
    review); return (approved count, {reason: count} skipped)."""
    claims = list(claims)
    if not may_publish_at_all(user):
        return 0, {NEEDS_PERMISSION: len(claims)}
    ready = [c.pk for c in claims if c.status == Status.IN_REVIEW]
    skipped = {"only claims in review are approved": len(claims) - len(ready)}
    _mark(APPROVED, user, fingerprints(ready))
    return len(ready), {reason: n for reason, n in skipped.items() if n}


# -- claims arriving from a file (import_kb, load_seeds) ------------------------------------------


def publisher(username):
    """The user a command publishes as (its `--user USERNAME`); None without a name. Raises
    ValueError saying why that name cannot publish."""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise ValueError(f"There is no user “{username}”.")
    if not may_publish_at_all(user):
        raise ValueError(f"“{username}” may not publish: {NEEDS_PERMISSION}.")
    return user


def arriving_statuses(user, claims):
    """The statuses new claims from a file are written with, in order: what the file says,
    except that a published claim `user` may not publish waits in review. Returns
    (statuses, {reason: count} of the claims held in review)."""
    claims = list(claims)
    # Nothing of theirs is in this database yet: the author is the only contributor.
    reasons = refusals(user, [Claim(author_id=c.author_id) for c in claims])
    statuses, held = [], Counter()
    for claim, reason in zip(claims, reasons, strict=True):
        if claim.status == Status.PUBLISHED and reason:
            statuses.append(Status.IN_REVIEW)
            held[reason] += 1
        else:
            statuses.append(claim.status)
    return statuses, dict(held)


def held_lines(held, user):
    """What a command run as `user` says about the claims `arriving_statuses()` held."""
    lines = []
    for reason, n in held.items():
        what = f"{n:,} claim{'s' if n != 1 else ''} marked published {'are' if n != 1 else 'is'}"
        if user is None:
            reason = (
                "pass --user with the name of someone who may publish (a Reviewer) to publish "
                + ("them" if n != 1 else "it")
            )
        lines.append(f"{what} in review: {reason}.")
    return lines


# -- content changes, on any route ---------------------------------------------------------------


@contextmanager
def editing(user, claim_ids=(), *, wrote=True):
    """One transaction in which `user` (None: nobody, e.g. a script) changes claims' content,
    on any route; yields an Edit:

        with publishing.editing(request.user, [claim.pk]) as edit:
            ...save the claim, its subjects, its evidence; edit.watch() claims found later...
        edit.sent_back  # {claim: reason} for the published claims that went back to review

    If the block ends without an exception, each watched claim whose content changed gets a
    "wrote" mark for `user` (`wrote=False`: the words came from a curated file, not from them)
    and a history row. A claim published afterwards that was not before, or changed, must pass
    the rule for `user`: if it does, that is `user`'s approval of the version; if not, it goes
    back to review.
    """
    with transaction.atomic():
        edit = Edit(user, wrote)
        edit.watch(claim_ids)
        yield edit
        edit.finish()


class Edit:
    """What `editing()` watches: each claim's version before the change (its row locked, so a
    concurrent save waits instead of slipping in between), compared with after."""

    def __init__(self, user, wrote=True):
        self.user = user if user is not None and user.is_authenticated else None
        self.wrote = wrote
        self.before = {}
        self.sent_back = {}

    def watch(self, claim_ids):
        """Watch more claims; call it before they change."""
        fresh = [pk for pk in dict.fromkeys(claim_ids) if pk is not None and pk not in self.before]
        self.before.update(versions(fresh, lock=True))

    def finish(self):
        after = versions(self.before)
        changed = {
            pk: v.fingerprint
            for pk, v in after.items()
            if v.fingerprint != self.before[pk].fingerprint
        }
        if self.wrote:
            _mark(WROTE, self.user, changed)
        public = [
            pk
            for pk, v in after.items()
            if v.status == Status.PUBLISHED
            and (pk in changed or self.before[pk].status != Status.PUBLISHED)
        ]
        untouched = [pk for pk in changed if after[pk].updated_at == self.before[pk].updated_at]
        claims = Claim.objects.in_bulk(set(public) | set(untouched))
        going = [claims[pk] for pk in public]
        approved = {}
        for claim, reason in zip(going, refusals(self.user, going), strict=True):
            if reason:
                self.sent_back[claim] = reason
                self._save(claim, IN_HISTORY[reason], status=Status.IN_REVIEW)
            else:
                approved[claim.pk] = after[claim.pk].fingerprint
        _mark(APPROVED, self.user, approved)
        for pk in untouched:
            if claims[pk] not in self.sent_back:
                self._save(claims[pk], "evidence changed")

    def _save(self, claim, reason, **fields):
        """Save `claim` (a new updated_at: open forms go stale) with a history row saying why."""
        for name, value in fields.items():
            setattr(claim, name, value)
        claim._history_user = self.user
        claim._change_reason = reason
        claim.save(update_fields=[*fields, "updated_at"])
