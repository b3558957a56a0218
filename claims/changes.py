"""The changes feed: every change that may alter what the public sees, in an order a consumer can
follow without ever missing one (`/api/v1/changes/`).

Writing. Each change is a `Change` row written in the same transaction as the change itself
(signals on the claims models, and `ClaimQuerySet.update()` for bulk updates), so a rolled-back
edit leaves no entry and a committed one always has its entry. A claim is listed when it is or
was published; when it is published, withdrawn or deleted, so are the records it makes public
(claimant, subjects, event and its participants, evidence with their passages, sources and
actors), since their visibility is derived from it. Actors, events, sources and passages are
listed on every edit or deletion (not on creation: a new record is public only once a claim
references it, and that claim's entry lists it).

Reading. An entry says what happened (`change`) and, resolved when read, whether the record is
public now (`public`) through the rules of `claims.public`. A consumer upserts a public record
(fetching it from the API) and removes one that is not; entries are notifications, not copies,
so applying them in any order after the last one converges on the public knowledge base.

The order. Auto-increment ids are taken when a row is inserted, not when its transaction
commits: a slow transaction can commit id 10 after a reader has passed id 11. On PostgreSQL
each row also records its transaction id (`txid`, a column the migration adds with the default
`pg_current_xact_id()`), entries are read in (txid, id) order, and only entries of transactions
older than the oldest one still running (`pg_snapshot_xmin(pg_current_snapshot())`) are listed:
every later entry belongs to a transaction that is still running or not yet begun, so it sorts
after the cursor. The feed thus lags the longest running write transaction. On SQLite writers
are serialized (IMMEDIATE transactions), so id order is commit order.
"""

from django.db import connections, models, router
from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import Expression, RawSQL
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils import timezone

from claims import public


class Change(models.Model):
    class Kind(models.TextChoices):
        CLAIM = "claim", "Claim"
        ACTOR = "actor", "Actor"
        EVENT = "event", "Event"
        SOURCE = "source", "Source"
        PASSAGE = "passage", "Passage"
        EVIDENCE = "evidence", "Evidence"

    class Verb(models.TextChoices):
        CREATED = "created", "Created"
        PUBLISHED = "published", "Published"
        EDITED = "edited", "Edited"
        WITHDRAWN = "withdrawn", "Withdrawn"
        DELETED = "deleted", "Deleted"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.BigIntegerField()
    change = models.CharField(max_length=10, choices=Verb.choices)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "claims"
        ordering = ["id"]
        # For the withdrawals feed. Not led by `kind`: SQLite would take such an index for the
        # feed's page of one kind of ids and scan every entry of that kind.
        indexes = [models.Index(fields=["change", "kind", "-id"], name="change_change_kind")]

    def __str__(self):
        return f"{self.kind} {self.object_id} {self.change}"


Kind, Verb = Change.Kind, Change.Verb
PUBLISHED = "published"

# -- writing ---------------------------------------------------------------------------------


def record(entries, using=None):
    """Write (kind, id, change) entries, each once, in one INSERT."""
    seen, rows, now = set(), [], timezone.now()
    for kind, pk, verb in entries:
        if pk is None or (kind, pk) in seen:
            continue
        seen.add((kind, pk))
        rows.append(Change(kind=kind, object_id=pk, change=verb, at=now))
    if rows:
        Change.objects.using(using or router.db_for_write(Change)).bulk_create(rows)


def claim_verb(before, after, created=False):
    """What a claim's move from status `before` to `after` is to the public, or None."""
    if after == PUBLISHED:
        if created:
            return Verb.CREATED
        return Verb.EDITED if before == PUBLISHED else Verb.PUBLISHED
    return Verb.WITHDRAWN if before == PUBLISHED else None


def related_entries(claim_ids, verb):
    """Entries for what the claims `claim_ids` make public (or stop making public)."""
    from claims.models import Actor, Claim, EventParticipant, Evidence

    if not claim_ids:
        return []
    out = []
    events = set()
    for claimant, event in Claim.objects.filter(pk__in=claim_ids).values_list(
        "claimant_id", "event_id"
    ):
        out.append((Kind.ACTOR, claimant, verb))
        events.add(event)
    for event in events - {None}:
        out.append((Kind.EVENT, event, verb))
    out += [
        (Kind.ACTOR, actor, verb)
        for actor in EventParticipant.objects.filter(event_id__in=events - {None}).values_list(
            "actor_id", flat=True
        )
    ]
    out += [
        (Kind.ACTOR, actor, verb)
        for actor in Claim.subjects.through.objects.filter(claim_id__in=claim_ids).values_list(
            "actor_id", flat=True
        )
    ]
    for evidence, passage, source in Evidence.objects.filter(claim_id__in=claim_ids).values_list(
        "pk", "passage_id", "passage__source_id"
    ):
        out += [(Kind.EVIDENCE, evidence, verb), (Kind.PASSAGE, passage, verb)]
        out.append((Kind.SOURCE, source, verb))
    out += [
        (Kind.ACTOR, actor, verb)
        for actor in Evidence.actors.through.objects.filter(
            evidence__claim_id__in=claim_ids
        ).values_list("actor_id", flat=True)
    ]
    # An actor's record names its affiliation only while that one is public too.
    actors = {pk for kind, pk, _ in out if kind == Kind.ACTOR} - {None}
    out += [
        (Kind.ACTOR, pk, verb)
        for pk in Actor.objects.filter(affiliation_id__in=actors).values_list("pk", flat=True)
    ]
    return out


CLAIM_STATE = ("pk", "status", "claimant_id", "event_id")


def _claim_states(queryset):
    return {row[0]: row[1:] for row in queryset.values_list(*CLAIM_STATE)}


def entries_for_claim_moves(before, after, created=()):
    """Entries for claims whose (status, claimant, event) went from `before` to `after`
    ({id: state}); an id missing from `after` was deleted."""
    out, moved = [], {}
    for pk, (status, claimant, event) in before.items():
        new = after.get(pk)
        if new is None:
            if status == PUBLISHED:
                moved.setdefault(Verb.DELETED, []).append(pk)
            continue
        verb = claim_verb(status, new[0], created=pk in created)
        if verb is None:
            continue
        out.append((Kind.CLAIM, pk, verb))
        if verb == Verb.EDITED:  # a new claimant or event may appear, the old one vanish
            out += [(Kind.ACTOR, a, verb) for a in {claimant, new[1]} if claimant != new[1]]
            out += [(Kind.EVENT, e, verb) for e in {event, new[2]} if event != new[2]]
        else:
            moved.setdefault(verb, []).append(pk)
    for verb, ids in moved.items():
        out += [(Kind.CLAIM, pk, verb) for pk in ids]
        out += related_entries(ids, verb)
    return out


class track_update:  # noqa: N801 (used as a context manager, like transaction.atomic)
    """Around `ClaimQuerySet.update()`: record what a bulk update changed for the public
    (review's bulk moves go through `bulk_update`, which updates this way)."""

    def __init__(self, queryset):
        self.queryset = queryset

    def __enter__(self):
        self.before = _claim_states(self.queryset)
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None or not self.before:
            return
        model = self.queryset.model
        after = _claim_states(
            model._base_manager.using(self.queryset.db).filter(pk__in=self.before)
        )
        record(entries_for_claim_moves(self.before, after), using=self.queryset.db)


# -- signal receivers --------------------------------------------------------------------------


def _claim_pre_save(sender, instance, raw=False, **kwargs):
    instance._public_state_before = (
        _claim_states(sender._base_manager.filter(pk=instance.pk)).get(instance.pk)
        if instance.pk and not raw
        else None
    )


def _claim_post_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    state = (instance.status, instance.claimant_id, instance.event_id)
    before = getattr(instance, "_public_state_before", None)
    new = set()
    if before is None:  # a new row (or one saved with force_insert, as a restore does)
        before, new = (None, *state[1:]), {instance.pk}
    record(entries_for_claim_moves({instance.pk: before}, {instance.pk: state}, new))


def _claim_pre_delete(sender, instance, **kwargs):
    stored = sender._base_manager.filter(pk=instance.pk).values_list("status", flat=True)
    if PUBLISHED in stored:  # the row's status, which a bulk update may have changed
        record(
            [(Kind.CLAIM, instance.pk, Verb.DELETED), *related_entries([instance.pk], Verb.DELETED)]
        )


def _published(claim_ids):
    from claims.models import Claim

    claim_ids = [pk for pk in claim_ids if pk is not None]
    if not claim_ids:
        return set()
    return set(Claim.objects.published().filter(pk__in=claim_ids).values_list("pk", flat=True))


def _evidence_rows(evidence_ids):
    from claims.models import Evidence

    return list(
        Evidence.objects.filter(pk__in=evidence_ids).values_list(
            "pk", "claim_id", "passage_id", "passage__source_id"
        )
    )


def _evidence_pre_save(sender, instance, raw=False, **kwargs):
    instance._public_rows_before = _evidence_rows([instance.pk]) if instance.pk and not raw else []


def _evidence_entries(rows, verb):
    """Entries for evidence rows (id, claim, passage, source) of published claims."""
    published = _published([row[1] for row in rows])
    out = []
    for pk, claim, passage, source in rows:
        if claim in published:
            out += [(Kind.EVIDENCE, pk, verb), (Kind.CLAIM, claim, Verb.EDITED)]
            out += [(Kind.PASSAGE, passage, verb), (Kind.SOURCE, source, verb)]
    return out


def _evidence_post_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    verb = Verb.CREATED if created else Verb.EDITED
    rows = [*getattr(instance, "_public_rows_before", []), *_evidence_rows([instance.pk])]
    record(_evidence_entries(rows, verb))


def _evidence_pre_delete(sender, instance, **kwargs):
    rows = _evidence_rows([instance.pk])
    entries = _evidence_entries(rows, Verb.DELETED)
    if entries:
        actors = instance.actors.values_list("pk", flat=True)
        entries += [(Kind.ACTOR, actor, Verb.EDITED) for actor in actors]
    record(entries)


def _m2m_changed(kind, claim_of):
    """A receiver for a many-to-many between `kind` rows (claims or evidence) and actors.

    `claim_of(ids)` gives {row id: claim id}; only rows of published claims are listed."""

    def receiver(sender, instance, action, reverse, pk_set, **kwargs):
        if action == "pre_clear":
            instance._public_cleared = set(
                sender.objects.filter(
                    **{("actor_id" if reverse else f"{kind}_id"): instance.pk}
                ).values_list(f"{kind}_id" if reverse else "actor_id", flat=True)
            )
            return
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        others = getattr(instance, "_public_cleared", set()) if action == "post_clear" else pk_set
        pairs = (
            [(o, instance.pk) for o in others] if reverse else [(instance.pk, o) for o in others]
        )
        claims = claim_of({row for row, _ in pairs})
        published = _published(claims.values())
        entries = []
        for row, actor in pairs:
            if claims.get(row) in published:
                entries += [(kind, row, Verb.EDITED), (Kind.ACTOR, actor, Verb.EDITED)]
                entries.append((Kind.CLAIM, claims[row], Verb.EDITED))
        record(entries)

    return receiver


def _claims_of_claims(ids):
    return {pk: pk for pk in ids}


def _claims_of_evidence(ids):
    from claims.models import Evidence

    return dict(Evidence.objects.filter(pk__in=ids).values_list("pk", "claim_id"))


def _tagged(sender, instance, raw=False, **kwargs):
    if raw or instance.content_type.model_class() is None:
        return
    if instance.content_type.model_class()._meta.label_lower != "claims.claim":
        return
    if _published([instance.object_id]):
        record([(Kind.CLAIM, instance.object_id, Verb.EDITED)])


def _tag_renamed(sender, instance, created, raw=False, **kwargs):
    if raw or created:
        return
    claims = public.claims().filter(tags=instance).values_list("pk", flat=True)
    record([(Kind.CLAIM, pk, Verb.EDITED) for pk in claims])


def dependents(kind, ids):
    """Entries for the public records that show a name or title of the `kind` rows `ids` (a
    claim shows its claimant's name, an evidence its source's title…): edited with them."""
    from claims.models import Actor, Claim, EventParticipant, Evidence

    published = Claim.objects.published()
    shown = Evidence.objects.filter(claim__status=PUBLISHED)
    claims = evidence = actors = events = passages = Claim.objects.none()
    if kind == Kind.ACTOR:
        claims = published.filter(
            Q(claimant_id__in=ids) | Q(subjects__in=ids) | Q(evidence__actors__in=ids)
        )
        evidence = shown.filter(actors__in=ids)
        actors = Actor.objects.filter(affiliation_id__in=ids)
        events = EventParticipant.objects.filter(actor_id__in=ids).values("event_id")
    elif kind == Kind.EVENT:
        claims = published.filter(event_id__in=ids)
    elif kind in (Kind.SOURCE, Kind.PASSAGE):
        where = "passage__source_id__in" if kind == Kind.SOURCE else "passage_id__in"
        claims = published.filter(**{f"evidence__{where}": ids})
        evidence = shown.filter(**{where: ids})
        if kind == Kind.SOURCE:
            passages = public.passages().filter(source_id__in=ids)
    out = []
    for dependent_kind, queryset, column in (
        (Kind.CLAIM, claims, "pk"),
        (Kind.EVIDENCE, evidence, "pk"),
        (Kind.ACTOR, actors, "pk"),
        (Kind.EVENT, events, "event_id"),
        (Kind.PASSAGE, passages, "pk"),
    ):
        rows = queryset.order_by().values_list(column, flat=True).distinct()
        out += [(dependent_kind, pk, Verb.EDITED) for pk in rows]
    return out


def _itself(kind):
    """Receivers for an actor, event, source or passage: listed on every edit and deletion, with
    the records that show it (before a deletion, while the links to it still exist)."""

    def saved(sender, instance, created=False, raw=False, **kwargs):
        if not raw and not created:
            record([(kind, instance.pk, Verb.EDITED), *dependents(kind, [instance.pk])])

    def deleting(sender, instance, **kwargs):
        record([(kind, instance.pk, Verb.DELETED), *dependents(kind, [instance.pk])])

    return saved, deleting


def _belongs_to(kinds):
    """Receiver for rows that belong to an actor or an event (aliases, participations)."""

    def receiver(sender, instance, raw=False, **kwargs):
        if not raw:
            record([(kind, getattr(instance, f"{name}_id"), Verb.EDITED) for kind, name in kinds])

    return receiver


def connect():
    """Called from ClaimsConfig.ready()."""
    from taggit.models import Tag, TaggedItem

    from claims.models import (
        Actor,
        ActorAlias,
        Claim,
        Event,
        EventParticipant,
        Evidence,
        Passage,
        Source,
    )

    uid = "claims-changes"
    pre_save.connect(_claim_pre_save, sender=Claim, dispatch_uid=f"{uid}-claim-pre")
    post_save.connect(_claim_post_save, sender=Claim, dispatch_uid=f"{uid}-claim-post")
    pre_delete.connect(_claim_pre_delete, sender=Claim, dispatch_uid=f"{uid}-claim-del")
    pre_save.connect(_evidence_pre_save, sender=Evidence, dispatch_uid=f"{uid}-ev-pre")
    post_save.connect(_evidence_post_save, sender=Evidence, dispatch_uid=f"{uid}-ev-post")
    pre_delete.connect(_evidence_pre_delete, sender=Evidence, dispatch_uid=f"{uid}-ev-del")
    m2m_changed.connect(
        _m2m_changed(Kind.CLAIM, _claims_of_claims),
        sender=Claim.subjects.through,
        dispatch_uid=f"{uid}-subjects",
        weak=False,
    )
    m2m_changed.connect(
        _m2m_changed(Kind.EVIDENCE, _claims_of_evidence),
        sender=Evidence.actors.through,
        dispatch_uid=f"{uid}-stance-actors",
        weak=False,
    )
    post_save.connect(_tagged, sender=TaggedItem, dispatch_uid=f"{uid}-tagged")
    post_delete.connect(_tagged, sender=TaggedItem, dispatch_uid=f"{uid}-untagged")
    post_save.connect(_tag_renamed, sender=Tag, dispatch_uid=f"{uid}-tag")
    for model, kind in (
        (Actor, Kind.ACTOR),
        (Event, Kind.EVENT),
        (Source, Kind.SOURCE),
        (Passage, Kind.PASSAGE),
    ):
        saved, deleting = _itself(kind)
        label = model._meta.model_name
        post_save.connect(saved, sender=model, dispatch_uid=f"{uid}-{label}", weak=False)
        pre_delete.connect(deleting, sender=model, dispatch_uid=f"{uid}-{label}-d", weak=False)
    for model, kinds in (
        (ActorAlias, [(Kind.ACTOR, "actor")]),
        (EventParticipant, [(Kind.ACTOR, "actor"), (Kind.EVENT, "event")]),
    ):
        receiver = _belongs_to(kinds)
        label = model._meta.model_name
        post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}-{label}", weak=False)
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}-{label}-d", weak=False)


# -- reading ---------------------------------------------------------------------------------

MAX_PAGE = 1000


class BadCursor(ValueError):
    pass


def encode_cursor(txid, pk):
    return f"{txid}.{pk}"


def decode_cursor(cursor):
    """(txid, id) from a cursor string; BadCursor when it is not one this feed gave out."""
    txid, dot, pk = cursor.partition(".")
    if not (dot and txid.isascii() and txid.isdigit() and pk.isascii() and pk.isdigit()):
        raise BadCursor("“since” is not a cursor from this feed.")
    if len(txid) > 18 or len(pk) > 18:
        raise BadCursor("“since” is not a cursor from this feed.")
    return int(txid), int(pk)


class TransactionId(Expression):
    """The PostgreSQL-only `txid` column of claims_change, under whatever alias the query gives
    the table (a subquery calls it U0)."""

    output_field = models.BigIntegerField()

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f'{table}."txid"', ()


def _on_postgres():
    return connections[router.db_for_read(Change)].vendor == "postgresql"


def _visible():
    """Entries a reader may pass, with their ordering key `tx`: all on SQLite (where `tx` is 0);
    on PostgreSQL those of transactions older than every running one."""
    queryset = Change.objects.using(router.db_for_read(Change))
    if not _on_postgres():
        return queryset.annotate(tx=models.Value(0, output_field=models.BigIntegerField()))
    oldest_running = RawSQL(
        "pg_snapshot_xmin(pg_current_snapshot())::text::bigint",
        (),
        output_field=models.BigIntegerField(),
    )
    return queryset.annotate(tx=TransactionId()).filter(tx__lt=oldest_running)


class RowCompare(Expression):
    """`(txid, id) <op> (tx, pk)` on claims_change under the query's alias: a row comparison,
    which PostgreSQL answers as a range of the (txid, id) index (an OR of the two columns
    would scan every entry of one transaction again on each page)."""

    output_field = models.BooleanField()

    def __init__(self, op, tx, pk):
        super().__init__()
        self.op, self.tx, self.pk = op, tx, pk

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f'({table}."txid", {table}."id") {self.op} (%s, %s)', (self.tx, self.pk)


def _between(queryset, first, last=None):
    """`queryset` narrowed to the entries after the (tx, id) `first`, up to `last` included:
    on SQLite a plain id range."""
    if not _on_postgres():
        queryset = queryset.filter(id__gt=first[1])
        return queryset.filter(id__lte=last[1]) if last else queryset
    queryset = queryset.filter(RowCompare(">", *first))
    return queryset.filter(RowCompare("<=", *last)) if last else queryset


def head():
    """The cursor after the last entry a reader may pass now (start here after a full copy)."""
    last = _visible().order_by("-tx", "-id").values_list("tx", "id").first()
    return encode_cursor(*last) if last else encode_cursor(0, 0)


def _public_ids(kind, ids):
    """Which of `ids` (a subquery of object ids) are public now: the rule of claims/public.py
    probed per row, so the database walks the given ids rather than all that is public."""
    rule = public.BY_KIND[kind]()
    probe = Exists(rule.filter(pk=OuterRef("pk")))
    rows = rule.model._base_manager.filter(pk__in=ids).annotate(shown=probe).filter(shown=True)
    return set(rows.values_list("pk", flat=True))


class IsoTimestamp(models.Func):
    """A timestamp as ISO 8601 text in UTC, formatted by the database (per row in Python it
    cost more than the query)."""

    output_field = models.CharField()

    def as_sqlite(self, compiler, connection, **extra):
        # Django stores "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC on SQLite.
        return self.as_sql(
            compiler, connection, template="replace(%(expressions)s, ' ', 'T') || 'Z'"
        )

    def as_postgresql(self, compiler, connection, **extra):
        template = (
            """to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""
        )
        return self.as_sql(compiler, connection, template=template)


def read(since=None, limit=MAX_PAGE):
    """Up to `limit` entries after cursor `since`, each resolved against the public rules now.

    Returns (entries, cursor of the last one or `since`): entries are dicts with `cursor`,
    `type`, `id`, `change`, `public` and `at`. 1 + one query per kind present."""
    first = decode_cursor(since) if since else (-1, 0)
    ordering = ("tx", "id") if _on_postgres() else ("id",)
    sql, params = (
        _between(_visible(), first)
        .order_by(*ordering)
        .values_list("tx", "id", "kind", "object_id", "change", IsoTimestamp("at"))[:limit]
        .query.sql_with_params()
    )
    # A plain cursor: the ORM's per-row converters cost more than the query for 1,000 rows.
    with connections[router.db_for_read(Change)].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    visible = {}
    if rows:
        # The page's object ids as a subquery: a thousand bound values cost Django more to
        # prepare than the database takes to run the query.
        page = _between(_visible(), first, rows[-1][:2])
        for kind in {row[2] for row in rows} & set(public.BY_KIND):
            visible[kind] = _public_ids(kind, page.filter(kind=kind).values("object_id"))
    entries = [
        {
            "cursor": f"{row_tx}.{row_id}",
            "type": kind,
            "id": object_id,
            "change": change,
            "public": object_id in visible.get(kind, ()),
            "at": at,
        }
        for row_tx, row_id, kind, object_id, change, at in rows
    ]
    return entries, (entries[-1]["cursor"] if entries else since)
