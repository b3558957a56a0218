"""A small published knowledge base for the reader page tests (built with the factories)."""

import datetime
from dataclasses import dataclass

from claims.models import Actor, Claim, EventParticipant, Evidence, Passage
from claims.sources import store_source
from tests.factories import add_evidence, make_actor, make_claim, make_event

TEXT_A = (
    "Summit in the capital\n"
    "The leaders met on Monday. Officials said weapons were transferred in secret. "
    "The talks lasted two days.\n"
    "Both governments deny that any weapons were transferred. They called it a smear.\n"
    "The leaders met on Monday. Officials said weapons were transferred in secret. "
    "The talks lasted two days."
)
TEXT_B = "Another paper reported it.\nA second report said weapons were transferred last year."


@dataclass
class World:
    claim: Claim
    draft: Claim
    supporting: Passage
    disputing: Passage
    second: Passage
    claimant: Actor
    disputers: list
    subject: Actor
    event: object
    source_a: object
    source_b: object


def quote(source, text):
    start = source.text.index(text)
    passage = Passage(source=source, start=start, end=start + len(text))
    passage.save()
    return passage


def build_world():
    source_a, _ = store_source(
        TEXT_A,
        title="Summit report",
        publisher="Daily Paper",
        published_on=datetime.date(2024, 6, 19),
    )
    source_b, _ = store_source(TEXT_B, title="Second report", publisher="Evening Post")
    claimant = make_actor("Officials", kind=Actor.Kind.GROUP)
    russia = make_actor("Russia", kind=Actor.Kind.STATE)
    korea = make_actor("North Korea", kind=Actor.Kind.STATE)
    event = make_event(
        "Pyongyang summit",
        start_date=datetime.date(2024, 6, 1),
        date_precision="month",
        location="Pyongyang",
    )
    EventParticipant.objects.create(event=event, actor=russia, role="guest")
    claim = make_claim(
        "Weapons were transferred between Russia and North Korea.",
        claimant=claimant,
        event=event,
        kind=Claim.Kind.ALLEGATION,
    )
    claim.subjects.set([russia, korea])
    claim.tags.add("arms transfer")
    supporting = quote(source_a, "weapons were transferred in secret")
    disputing = quote(source_a, "deny that any weapons were transferred")
    second = quote(source_b, "weapons were transferred last year")
    add_evidence(claim, supporting)
    add_evidence(claim, second)
    add_evidence(claim, disputing, stance=Evidence.Stance.DISPUTES, actors=[russia, korea])
    draft = make_claim("A secret draft claim about the talks.", status=Claim.Status.DRAFT)
    add_evidence(draft, quote(source_a, "The talks lasted two days"))
    return World(
        claim,
        draft,
        supporting,
        disputing,
        second,
        claimant,
        [russia, korea],
        korea,
        event,
        source_a,
        source_b,
    )


def more_claims(world, n):
    """`n` more published claims sharing the world's actors, event, tag and sources."""
    for i in range(n):
        claim = make_claim(f"Extra claim {i} about the summit.", claimant=world.claimant)
        claim.event = world.event
        claim.save()
        claim.subjects.set([world.subject])
        claim.tags.add("arms transfer", f"extra-{i}")
        add_evidence(claim, world.supporting)
        add_evidence(
            claim, world.disputing, stance=Evidence.Stance.DISPUTES, actors=world.disputers
        )
