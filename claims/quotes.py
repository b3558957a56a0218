"""Evidence by quote: the source and the exact words, anchored to a passage (claims/anchoring.py).

The rules of the admin's evidence form, as plain functions for the API and any other route: an
existing passage at the quote's offsets is reused, a new one is a `quote` passage, and a claim
never cites the same words twice: not the same passage, nor one that overlaps or contains a
passage already taking the same stance on it (the public page would show those words twice).
A passage of the other stance may overlap: "Russia and North Korea refute claims made by Seoul
and Washington…" disputes the claim while its words "claims made by Seoul and Washington…"
support it (seed claim russia-north-korea-transferred-military-weapons).
"""

from claims.anchoring import AnchorError, find_quote
from claims.models import Evidence, Passage


class EvidenceError(ValueError):
    """Evidence that cannot be added; the message says why, in words for a user."""


def first_overlap(spans):
    """(i, j), i < j, of the first two `spans` — (source, start, end, stance) tuples — that
    share a character with one stance; None when there are none. Pure: for rows not saved yet
    (a form's evidence rows, a bundle's claim)."""
    for j, (source, start, end, stance) in enumerate(spans):
        for i in range(j):
            s2, a, b, st = spans[i]
            if s2 == source and st == stance and a < end and start < b:
                return i, j
    return None


def overlapping_evidence(claim_id, source_id, start, end, stance, exclude_pk=None):
    """The claim's first evidence of `stance` whose passage of `source_id` shares at least one
    character with [start, end), or None (one query; the passage and its source come along)."""
    if not claim_id:
        return None
    found = Evidence.objects.filter(
        claim_id=claim_id,
        stance=stance,
        passage__source_id=source_id,
        passage__start__lt=end,
        passage__end__gt=start,
    )
    if exclude_pk:
        found = found.exclude(pk=exclude_pk)
    return found.select_related("passage__source").order_by("passage__start", "pk").first()


def overlap_message(existing, start=None, end=None):
    """Why a passage is refused, naming the evidence it repeats."""
    p = existing.passage
    if (start, end) == (p.start, p.end):
        how = "is already"
    elif start is not None and p.start <= start and end <= p.end:
        how = "lies inside"
    elif start is not None and start <= p.start and p.end <= end:
        how = "contains"
    else:
        how = "overlaps"
    words = p.text if len(p.text) <= 120 else p.text[:119] + "…"
    verb = "supporting" if existing.stance == Evidence.Stance.SUPPORTS else "disputing"
    return (
        f"This passage {how} {verb} evidence for this claim: “{words}” (“{p.source}”, "
        f"characters {p.start}–{p.end}). Edit that evidence instead of adding the same words again."
    )


def anchored_passage(source, quote, prefix="", suffix=""):
    """The passage of `source` where `quote` stands: a stored one, or a new unsaved one.
    Raises EvidenceError when the quote is not found or is ambiguous."""
    try:
        anchor = find_quote(source.text, quote, prefix or "", suffix or "")
    except AnchorError as exc:
        raise EvidenceError(str(exc)) from None
    found = Passage.objects.filter(source=source, start=anchor.start, end=anchor.end).first()
    return found or Passage(
        source=source,
        start=anchor.start,
        end=anchor.end,
        text=anchor.text,
        kind=Passage.Kind.QUOTE,
    )


def add_evidence(claim, source, quote, *, prefix="", suffix="", stance, actors=(), note="", user):
    """Tie `claim` to the passage of `source` that `quote` names; return the Evidence.

    Call inside a transaction with the claim saved; raises EvidenceError and writes nothing when
    the quote cannot be anchored, the claim already cites that passage, or a passage of the
    same stance overlapping it."""
    passage = anchored_passage(source, quote, prefix, suffix)
    if passage.pk and Evidence.objects.filter(claim=claim, passage=passage).exists():
        raise EvidenceError("This passage is already evidence for this claim.")
    existing = overlapping_evidence(claim.pk, source.pk, passage.start, passage.end, stance)
    if existing is not None:
        raise EvidenceError(overlap_message(existing, passage.start, passage.end))
    if passage.pk is None:
        passage._history_user = user
        passage.save()
    evidence = Evidence(claim=claim, passage=passage, stance=stance, note=note)
    evidence._history_user = user
    evidence.save()
    if actors:
        evidence.actors.set(actors)
    return evidence
