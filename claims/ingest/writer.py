"""Write one ingested article and its extraction as drafts, in one transaction.

Nothing written here is public: claims are drafts and candidate actors are unreviewed, each
marked with the extraction rule that proposed it. The same text twice is the same source, so
re-ingesting an article changes nothing.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from simple_history.utils import bulk_create_with_history

from claims.anchoring import context_around
from claims.ingest.disputes import content_words
from claims.ingest.extraction import Gazetteer, extract
from claims.ingest.rows import insert_rows, insert_with_history
from claims.models import (
    Actor,
    ActorAlias,
    Claim,
    Event,
    EventParticipant,
    Evidence,
    Passage,
    Source,
    unique_slug,
)
from claims.prepared import PreparedValues
from claims.segmentation import segments
from claims.sources import create_segment_passages
from claims.text import content_hash, normalize_alias, short_slug


@dataclass
class IngestResult:
    source: Source
    created: bool
    counts: Counter = field(default_factory=Counter)
    warnings: list = field(default_factory=list)
    claim_ids: list = field(default_factory=list)  # the drafts this ingest created

    def summary(self):
        if not self.created:
            return f"already ingested as “{self.source.title}”; nothing changed"
        c = self.counts
        parts = [
            f"{c[key]} {noun if c[key] == 1 else noun + 's'}"
            for key, noun in (
                ("passages", "passage"),
                ("claims", "draft claim"),
                ("actors", "new candidate actor"),
                ("events", "event"),
            )
        ]
        disputed = c["disputes of earlier claims"]
        if disputed:
            parts.append(f"{disputed} earlier claim{'' if disputed == 1 else 's'} disputed")
        return ", ".join(parts)


def tune_for_ingest():
    """SQLite settings for this connection, outside a transaction. PostgreSQL: nothing.

    Checkpoints every 4,000 pages (16 MB of log) rather than 1,000: pages that consecutive
    articles share (the ends of tables and indexes) are copied back once, not four times. The
    write-ahead log itself, synchronous=NORMAL (a commit per article costs no fsync) and
    in-memory statement journals are set for every connection (claims/sqlite.py); nothing
    here needs a lock, so it is safe beside other processes using the database.
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint=4000")


def load_gazetteer():
    """Every alias in the database → its actor id (two queries)."""
    aliases = dict(ActorAlias.objects.values_list("normalized", "actor_id"))
    kinds = dict(Actor.objects.values_list("id", "kind"))
    return Gazetteer.build(aliases, kinds)


# Prepared (claims/prepared.py): building these querysets took ten times longer than running
# them, a few times per article.
_source_by_hash = PreparedValues(
    Source,
    lambda digest: Source.objects.filter(content_hash=digest).order_by().values_list("pk")[:1],
    "content-hash-marker",
)
_source_slug_taken = PreparedValues(
    Source,
    lambda slug: Source.objects.filter(slug=slug).order_by().values_list("pk")[:1],
    "source-slug-marker",
)
SLUGS_AT_ONCE = 64
NO_SLUG = ""  # pads a shorter list of slugs: no claim has an empty slug
_claim_slugs_taken = PreparedValues(
    Claim,
    lambda *slugs: Claim.objects.filter(slug__in=slugs).order_by().values_list("slug"),
    *(f"claim-slug-marker-{n}" for n in range(SLUGS_AT_ONCE)),
)


def _stored_source(digest):
    found = _source_by_hash.rows(digest)
    return Source.objects.get(pk=found[0][0]) if found else None


def ingest_article(article, gazetteer=None, *, author=None, dry_run=False):
    """Store `article` (a reading.Article) with its drafts. Returns an IngestResult.

    Raises django.core.exceptions.ValidationError for metadata the Source refuses; the
    transaction is then rolled back and nothing is left behind.
    """
    digest = content_hash(article.text)
    existing = _stored_source(digest)
    if existing:
        return IngestResult(existing, False, warnings=article.warnings)
    gazetteer = load_gazetteer() if gazetteer is None else gazetteer
    segmented = segments(article.text)
    found = extract(article.text, gazetteer, segmented)
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                # Checked again inside the transaction: on SQLite (IMMEDIATE transactions) this
                # serializes two writers completely.
                existing = _stored_source(digest)
                if existing:
                    return IngestResult(existing, False, warnings=article.warnings)
                return _write(article, digest, gazetteer, segmented, found, author, dry_run)
        except (IntegrityError, ValidationError) as exc:
            # Another process stored the same text (or took a slug) between our check and our
            # commit; the unique content hash kept one copy. Same text → "already ingested";
            # a slug clash → write once more, the slugs are picked afresh.
            existing = _stored_source(digest)
            if existing:
                return IngestResult(existing, False, warnings=article.warnings)
            if isinstance(exc, ValidationError) or attempt == 2:
                raise
    raise AssertionError("unreachable")  # the loop returns or raises


def _write(article, digest, gazetteer, segmented, found, author, dry_run):
    with transaction.atomic():
        source = Source(
            text=article.text,
            title=article.title,
            url=article.url,
            publisher=article.publisher,
            published_on=article.published_on,
            origin=article.origin,
        )
        # The fields only: clean() would look up the content hash a third time (ingest_article
        # did, inside this transaction), reading refuses empty text, and the slug is made free.
        source.clean_fields()
        source.content_hash = digest
        source.slug = _free_slug(source.title)
        source = insert_with_history(source, user=author)
        passage_ids = create_segment_passages(source, segmented)
        result = IngestResult(source, True, warnings=article.warnings)
        result.counts["passages"] = len(passage_ids)
        new_actors = _write_candidates(found, result)
        added_aliases = _write_aliases(found, new_actors, gazetteer)
        actor_of = {**new_actors}
        events, new_events = _write_events(found, actor_of, result, gazetteer.memo)
        by_span = {(s.start, s.end): pk for s, pk in zip(segmented, passage_ids, strict=True)}
        claim_ids = _write_claims(source, found, by_span, actor_of, events, author, result)
        result.claim_ids = list(claim_ids)
        _write_earlier_disputes(found, by_span, actor_of, claim_ids, result)
        if dry_run:
            transaction.set_rollback(True)
    if not dry_run:
        # Later articles in the same run resolve the new candidates by name.
        for key, actor in new_actors.items():
            gazetteer.add(key.removeprefix("new:"), actor.pk, actor.kind)
        for normalized, actor_id in added_aliases:
            gazetteer.add(normalized, actor_id)
        gazetteer.memo.setdefault("events", {}).update(new_events)
    return result


def _free_slug(title):
    """The title's slug when no source has it (one indexed query), else unique_slug()'s.

    unique_slug() looks for every slug starting like this one, which SQLite answers by
    scanning the whole table: fine for one source, quadratic over a run of thousands.
    """
    slug = short_slug(title)
    return unique_slug(Source, title) if _source_slug_taken.rows(slug) else slug


def _actor_id(key, actor_of):
    return actor_of[key].pk if isinstance(key, str) and key.startswith("new:") else key


def _write_candidates(found, result):
    created = {}
    for key, candidate in found.candidates.items():
        actor = Actor(
            name=candidate.name,
            kind=candidate.kind,
            reviewed=False,
            extraction_rule=candidate.rule,
            description="Proposed by extraction; check before use.",
        )
        actor.save()
        created[key] = actor
    result.counts["actors"] = len(created)
    return created


def _write_aliases(found, new_actors, gazetteer):
    """Every other name form the article used, as an alias of its actor: the next article
    naming it so finds it. Known actors get new forms only while unreviewed (analysts own the
    names of reviewed ones); a form another actor already has stays that actor's.
    Returns [(normalized, actor id)] written."""
    wanted = {}  # normalized → (form, actor id)
    for key, candidate in found.candidates.items():
        for form in candidate.aliases:
            wanted.setdefault(normalize_alias(form), (form, new_actors[key].pk))
    unreviewed = set()
    if found.new_aliases:
        unreviewed = set(
            Actor.objects.filter(pk__in=list(found.new_aliases), reviewed=False).values_list(
                "pk", flat=True
            )
        )
    for actor_id, forms in found.new_aliases.items():
        if actor_id in unreviewed:
            for form in forms:
                wanted.setdefault(normalize_alias(form), (form, actor_id))
    wanted.pop("", None)
    if not wanted:
        return []
    taken = set(
        ActorAlias.objects.filter(normalized__in=list(wanted)).values_list("normalized", flat=True)
    )
    rows = [
        ActorAlias(normalized=n, name=f[:200], actor_id=a)
        for n, (f, a) in wanted.items()
        if n not in taken
    ]
    bulk_create_with_history(rows, ActorAlias)
    return [(row.normalized, row.actor_id) for row in rows]


def _event_dates(event):
    if event.start_year is None:
        return None, None
    start = datetime.date(event.start_year, 1, 1)
    end = datetime.date(event.end_year, 12, 31) if event.end_year else None
    return start, end


def _write_events(found, actor_of, result, memo):
    """Event ids by index; an event already known by kind, title and start date is reused.

    `memo` keeps the names of existing actors and the ids of events seen in earlier articles;
    rows written by this article join it only once its transaction is committed.
    """
    names = memo.setdefault("actor_names", {})
    known = memo.setdefault("events", {})
    ids = {_actor_id(k, actor_of) for e in found.events for k in e.participants}
    missing = ids - names.keys()
    fresh = {}
    if missing:
        fresh = dict(Actor.objects.filter(pk__in=missing).values_list("pk", "name"))
        new_ids = {actor.pk for actor in actor_of.values()}
        names.update((pk, name) for pk, name in fresh.items() if pk not in new_ids)
    written, created = [], {}
    for proposal in found.events:
        parties = [_actor_id(k, actor_of) for k in proposal.participants]
        title = proposal.title.format(*(names.get(pk) or fresh.get(pk, "?") for pk in parties))
        start, end = _event_dates(proposal)
        key = (proposal.kind, title, start)
        event_id = known.get(key) or created.get(key)
        if event_id is None:
            event_id = (
                Event.objects.filter(kind=proposal.kind, title=title, start_date=start)
                .values_list("pk", flat=True)
                .first()
            )
            if event_id is not None:
                known[key] = event_id
        if event_id is None:
            event = Event(
                title=title,
                kind=proposal.kind,
                start_date=start,
                end_date=end,
                date_precision=Event.Precision.YEAR if start else Event.Precision.DAY,
                extraction_rule=proposal.rule,
            )
            event.save()
            EventParticipant.objects.bulk_create(
                [
                    EventParticipant(event=event, actor_id=pk, role=role)
                    for pk, role in zip(parties, proposal.roles, strict=True)
                ],
                ignore_conflicts=True,
            )
            result.counts["events"] += 1
            event_id = created[key] = event.pk
        written.append(event_id)
    return written, created


def _cut_slug(slug, max_length):
    """short_slug(slug, max_length) for text that is already a slug, without slugify again."""
    cut = slug[:max_length]
    if len(cut) == max_length and "-" in cut:
        cut = cut.rsplit("-", 1)[0]
    return cut.strip("-") or "item"


def claim_slugs(source, statements):
    """A free slug per statement with one indexed query.

    The readable slug when nobody has it yet; otherwise it gets "-s<source>-<n>", which no
    other article can produce (and the unique constraint still guards the rare hand-made clash).
    """
    bases = [short_slug(s) for s in statements]
    taken = {slug for (slug,) in _claim_slugs_taken.rows_for(list(dict.fromkeys(bases)), NO_SLUG)}
    slugs = []
    for n, base in enumerate(bases, 1):
        slug = base if base not in taken else f"{_cut_slug(base, 48)}-s{source.pk}-{n}"
        taken.add(slug)
        slugs.append(slug)
    return slugs


def insert_links(through, owner, pairs):
    """(owner id, actor id) rows of a many-to-many table in one executemany.

    The hot path of ingest: a model instance per link row cost more than the insert itself.
    """
    if not pairs:
        return
    meta = through._meta
    quote = connection.ops.quote_name
    columns = (meta.get_field(owner).column, meta.get_field("actor").column)
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({quote(columns[0])}, {quote(columns[1])}) "
        "VALUES (%s, %s)"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, pairs)


def _write_claims(source, found, by_span, actor_of, events, author, result):
    """Claims, their subjects, quote passages, evidence and its actors: a few multi-row inserts.

    Plain inserts, no history rows: a draft's creation is on the row itself (extraction rule,
    author, created_at); its history starts with the first change an analyst makes.
    """
    text = source.text
    proposals = found.claims
    evidence_rows = []  # (claim index, span, stance, actor keys)
    for i, p in enumerate(proposals):
        evidence_rows.append((i, p.support, Evidence.Stance.SUPPORTS, p.support_actors))
        for span, actors in dict(p.disputes).items():  # one row per passage
            evidence_rows.append((i, span, Evidence.Stance.DISPUTES, actors))
    quotes = list(dict.fromkeys(span for _, span, _, _ in evidence_rows if span not in by_span))
    quote_rows = []
    for start, end in quotes:
        prefix, suffix = context_around(text, start, end)
        quote_rows.append(
            (source.pk, start, end, text[start:end], prefix, suffix, Passage.Kind.QUOTE)
        )
    quote_columns = ("source_id", "start", "end", "text", "prefix", "suffix", "kind")
    by_span.update(zip(quotes, insert_rows(Passage, quote_columns, quote_rows), strict=True))

    slugs = claim_slugs(source, [p.statement for p in proposals])
    author_id = author.pk if author is not None else None
    claim_ids = insert_rows(
        Claim,
        ("statement", "slug", "claimant_id", "kind", "status", "extraction_rule")
        + ("extraction_confidence", "event_id", "author_id"),
        [
            (
                p.statement,
                slug,
                _actor_id(p.claimant, actor_of) if p.claimant is not None else None,
                p.kind,
                Claim.Status.DRAFT,
                p.rule,
                p.confidence,
                events[p.event] if p.event is not None else None,
                author_id,
            )
            for p, slug in zip(proposals, slugs, strict=True)
        ],
    )
    insert_links(
        Claim.subjects.through,
        "claim",
        [
            (claim_id, _actor_id(k, actor_of))
            for claim_id, p in zip(claim_ids, proposals, strict=True)
            for k in p.subjects
        ],
    )
    evidence_ids = insert_rows(
        Evidence,
        ("claim_id", "passage_id", "stance"),
        [(claim_ids[i], by_span[span], stance) for i, span, stance, _ in evidence_rows],
    )
    insert_links(
        Evidence.actors.through,
        "evidence",
        [
            (evidence_id, _actor_id(k, actor_of))
            for evidence_id, (_, _, _, keys) in zip(evidence_ids, evidence_rows, strict=True)
            for k in keys
        ],
    )
    result.counts["claims"] = len(claim_ids)
    result.counts["passages"] += len(quotes)
    return claim_ids


EARLIER_CLAIMS_LOOKED_AT = 50
SHARED_WORDS = 2  # content words a denial shares with the earlier claim it disputes


def _write_earlier_disputes(found, by_span, actor_of, new_claim_ids, result):
    """A denial whose accusation is not in the article disputes the matching claim of an
    earlier article: the accuser's (when the denial names one) or one about the denier, among
    the latest unpublished ones, sharing the most content words (at least SHARED_WORDS).
    Published claims are left alone: what readers see changes only through an analyst."""
    rows = []
    for denial in found.open_disputes:
        deniers = [_actor_id(k, actor_of) for k in denial.deniers]
        accusers = [_actor_id(k, actor_of) for k in denial.accusers]
        earlier = (
            Claim.objects.exclude(pk__in=new_claim_ids)
            .exclude(status=Claim.Status.PUBLISHED)
            .exclude(claimant_id__in=deniers)
        )
        if accusers:
            earlier = earlier.filter(claimant_id__in=accusers)
        else:
            earlier = earlier.filter(subjects__in=deniers)
        statements = earlier.order_by("-created_at", "-pk").values_list("pk", "statement")
        best, most = None, SHARED_WORDS - 1
        for pk, statement in statements.distinct()[:EARLIER_CLAIMS_LOOKED_AT]:
            shared = len(denial.words & content_words(statement, (0, len(statement))))
            if shared > most:
                best, most = pk, shared
        if best is not None:
            rows.append((best, by_span[denial.passage], deniers))
    if not rows:
        return
    evidence_ids = insert_rows(
        Evidence,
        ("claim_id", "passage_id", "stance"),
        [(claim, passage, Evidence.Stance.DISPUTES) for claim, passage, _ in rows],
    )
    insert_links(
        Evidence.actors.through,
        "evidence",
        [(e, a) for e, (_, _, actors) in zip(evidence_ids, rows, strict=True) for a in actors],
    )
    result.counts["disputes of earlier claims"] = len(rows)
