"""Evidence by quote: the source and the exact words, anchored to a passage (claims/anchoring.py).

The rules of the admin's evidence form, as plain functions for the API and any other route: an
existing passage at the quote's offsets is reused, a new one is a `quote` passage, and a claim
never cites the same passage twice.
"""

from claims.anchoring import AnchorError, find_quote
from claims.models import Evidence, Passage


class EvidenceError(ValueError):
    """Evidence that cannot be added; the message says why, in words for a user."""


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
    the quote cannot be anchored or the claim already cites that passage."""
    passage = anchored_passage(source, quote, prefix, suffix)
    if passage.pk and Evidence.objects.filter(claim=claim, passage=passage).exists():
        raise EvidenceError("This passage is already evidence for this claim.")
    if passage.pk is None:
        passage._history_user = user
        passage.save()
    evidence = Evidence(claim=claim, passage=passage, stance=stance, note=note)
    evidence._history_user = user
    evidence.save()
    if actors:
        evidence.actors.set(actors)
    return evidence
