"""Check the invariants of the whole knowledge base, whatever wrote it (admin, seeds, generator).

`check_integrity()` returns a list of problems in words (empty when all holds). It reads every
source and passage once, source by source: fine up to tens of thousands of claims, slow beyond.
"""

from django.db.models import Count, F, Q

from claims.models import Actor, ActorAlias, Claim, Event, Evidence, Passage, Source
from claims.text import content_hash, normalize_alias, normalize_article_text

CONTEXT_CHARS = 32
LIMIT = 20  # problems reported per check; one broken rule usually breaks many rows


def check_integrity():
    problems = []
    for check in (_sources_and_passages, _aliases, _events, _claims, _evidence):
        problems += check()[:LIMIT]
    return problems


def _sources_and_passages():
    problems = []
    passages = Passage.objects.order_by("source_id", "start").values_list(
        "id", "source_id", "start", "end", "text", "prefix", "suffix"
    )
    by_source = {}
    for row in passages.iterator(chunk_size=5000):
        by_source.setdefault(row[1], []).append(row)
    sources = Source.objects.values_list("id", "text", "content_hash", "slug")
    for source_id, text, stored_hash, slug in sources.iterator(chunk_size=500):
        if not text:
            problems.append(f"source {slug}: empty text")
        if content_hash(text) != stored_hash:
            problems.append(f"source {slug}: content hash does not match its text")
        if normalize_article_text(text) != text:
            problems.append(f"source {slug}: text is not normalized")
        for pid, _, start, end, ptext, prefix, suffix in by_source.pop(source_id, []):
            if not (0 <= start < end <= len(text)):
                problems.append(f"passage {pid}: offsets {start}–{end} outside source {slug}")
            elif text[start:end] != ptext:
                problems.append(f"passage {pid}: text differs from source {slug} at its offsets")
            elif prefix and text[max(0, start - CONTEXT_CHARS) : start] != prefix:
                problems.append(f"passage {pid}: prefix differs from the source")
            elif suffix and text[end : end + CONTEXT_CHARS] != suffix:
                problems.append(f"passage {pid}: suffix differs from the source")
    problems += [f"passage of missing source {sid}" for sid in by_source]
    repeats = Passage.objects.filter(repeat_of__isnull=False).exclude(
        Q(repeat_of__source=F("source"))
        & Q(repeat_of__text=F("text"))
        & Q(repeat_of__start__lt=F("start"))
    )
    problems += [
        f"passage {p}: repeat_of is not an earlier copy"
        for p in repeats.values_list("pk", flat=True)
    ]
    duplicates = Source.objects.values("content_hash").annotate(n=Count("id")).filter(n__gt=1)
    problems += [f"content hash {d['content_hash']} is used twice" for d in duplicates]
    return problems


def _aliases():
    problems = []
    seen = {}
    for name, normalized, actor_id in ActorAlias.objects.values_list(
        "name", "normalized", "actor_id"
    ).iterator(chunk_size=5000):
        if not normalized or normalize_alias(name) != normalized:
            problems.append(f"alias {name!r}: stored as {normalized!r}, not normalized")
        if normalized in seen:
            problems.append(f"alias {name!r}: normalized form also names actor {seen[normalized]}")
        seen[normalized] = actor_id
    for pk, name in Actor.objects.values_list("pk", "name").iterator(chunk_size=5000):
        if seen.get(normalize_alias(name)) != pk:
            problems.append(f"actor {name!r}: its own name is not one of its aliases")
    if Actor.objects.filter(affiliation=F("pk")).exists():
        problems.append("an actor is affiliated to itself")
    return problems


def _events():
    bad = Event.objects.filter(
        Q(end_date__lt=F("start_date")) | Q(end_date__isnull=False, start_date__isnull=True)
    )
    return [f"event {slug}: ends before it starts" for slug in bad.values_list("slug", flat=True)]


def _claims():
    problems = []
    unpublished = Claim.objects.filter(status=Claim.Status.PUBLISHED, published_at__isnull=True)
    problems += [
        f"claim {s}: published without a date" for s in unpublished.values_list("slug", flat=True)
    ]
    empty = Claim.objects.filter(Q(statement="") | Q(slug=""))
    problems += [
        f"claim {pk}: empty statement or slug" for pk in empty.values_list("pk", flat=True)
    ]
    statuses = set(Claim.Status.values)
    odd = Claim.objects.exclude(status__in=statuses).values_list("slug", flat=True)
    problems += [f"claim {s}: unknown status" for s in odd]
    return problems


def _evidence():
    problems = []
    odd = Evidence.objects.exclude(stance__in=Evidence.Stance.values).values_list("pk", flat=True)
    problems += [f"evidence {pk}: unknown stance" for pk in odd]
    repeats = Evidence.objects.filter(passage__repeat_of__isnull=False)
    problems += [
        f"evidence {pk}: points to a repeated paragraph, not its first copy"
        for pk in repeats.values_list("pk", flat=True)
    ]
    return problems
