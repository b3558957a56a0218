"""Small builders for tests: each makes one valid row with sensible defaults."""

import itertools

from claims.models import Actor, Claim, Event, Evidence, Passage, Source

_n = itertools.count(1)

ARTICLE = (
    "Leaders met in the capital.\n"
    "The minister said the talks were friendly.\n"
    "Critics deny that any deal was signed."
)


def make_source(text=None, title=None, **fields):
    n = next(_n)
    source = Source(
        text=text or f"{ARTICLE}\nArticle number {n}.", title=title or f"Source {n}", **fields
    )
    source.save()
    return source


def make_passage(source=None, quote=None, **fields):
    source = source or make_source()
    quote = quote or source.text.split("\n")[0]
    start = source.text.index(quote)
    passage = Passage(source=source, start=start, end=start + len(quote), **fields)
    passage.save()
    return passage


def make_actor(name=None, kind=Actor.Kind.PERSON, **fields):
    actor = Actor(name=name or f"Actor {next(_n)}", kind=kind, **fields)
    actor.save()
    return actor


def make_event(title=None, **fields):
    event = Event(title=title or f"Event {next(_n)}", **fields)
    event.save()
    return event


def make_claim(statement=None, status=Claim.Status.PUBLISHED, **fields):
    claim = Claim(
        statement=statement or f"Claim number {next(_n)} is true.", status=status, **fields
    )
    claim.save()
    return claim


def add_evidence(claim, passage=None, stance=Evidence.Stance.SUPPORTS, actors=(), **fields):
    evidence = Evidence.objects.create(
        claim=claim, passage=passage or make_passage(), stance=stance, **fields
    )
    evidence.actors.set(actors)
    return evidence
