"""The knowledge-base bundle: everything in one versioned JSON Lines file (docs/bundle-format.md).

`write_bundle(out)` streams it (memory stays flat: rows are read in chunks and written as they
come). `import_bundle(path)` reads it twice: first it checks every line (format, version,
checksum, types, references) without touching the database; then it writes everything in one
transaction. Rows whose natural key already exists are kept as they are, so importing twice
creates nothing new. Ids are kept when free (always, in an empty database), so a restore keeps
every URL and admin link; lists are ordered by natural keys, so export → import → export gives
the same bytes.

Claims come in with the bundle's status, except that a published one is published here only
when the import is run by someone who may publish it (claims/publishing.py); the others wait in
review and the result counts them.
"""

import datetime
import hashlib
import json
import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Prefetch
from taggit.models import Tag, TaggedItem

from claims import publishing
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
from claims.quotes import first_overlap
from claims.text import content_hash, normalize_alias
from claims.weblinks import is_web_url

FORMAT = "claim-kb-bundle"
VERSION = 1
SECTIONS = ("user", "tag", "source", "actor", "event", "claim")  # in file order
CHUNK = 500
SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
TAG_SLUG = re.compile(r"^[-\w]+$")  # taggit keeps letters beyond ASCII


class BundleError(Exception):
    """The file is not a bundle this version can import; the message says why and where."""


def _line(record):
    return (
        json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    ).encode()


def _stamp(value):
    return value.astimezone(datetime.UTC).isoformat() if value else None


def _day(value):
    return value.isoformat() if value else None


# -- export --------------------------------------------------------------------------------


def _records():
    User = get_user_model()
    authors = User.objects.filter(claims_authored__isnull=False).distinct().order_by("username")
    for username in authors.values_list("username", flat=True).iterator(chunk_size=CHUNK):
        yield {"type": "user", "username": username}
    for name, slug in Tag.objects.order_by("slug").values_list("name", "slug"):
        yield {"type": "tag", "name": name, "slug": slug}

    # Passage texts are slices of the source text: never read them (nor a source's text twice).
    passages = (
        Passage.objects.order_by("start", "end")
        .select_related("repeat_of")
        .only(
            *[
                "id",
                "source_id",
                "start",
                "end",
                "kind",
                "prefix",
                "suffix",
                "repeat_of__start",
                "repeat_of__end",
            ]
        )
    )
    sources = Source.objects.order_by("slug").prefetch_related(Prefetch("passages", passages))
    for source in sources.iterator(chunk_size=100):
        yield {
            "type": "source",
            "id": source.pk,
            "slug": source.slug,
            "title": source.title,
            "url": source.url,
            "publisher": source.publisher,
            "published_on": _day(source.published_on),
            "origin": source.origin,
            "content_hash": source.content_hash,
            "text": source.text,
            "created_at": _stamp(source.created_at),
            "updated_at": _stamp(source.updated_at),
            "passages": [
                {
                    "id": p.pk,
                    "start": p.start,
                    "end": p.end,
                    "kind": p.kind,
                    "prefix": p.prefix,
                    "suffix": p.suffix,
                    "repeat_of": [p.repeat_of.start, p.repeat_of.end] if p.repeat_of else None,
                }
                for p in source.passages.all()
            ],
        }

    actors = (
        Actor.objects.order_by("slug")
        .select_related("affiliation")
        .prefetch_related(Prefetch("aliases", ActorAlias.objects.order_by("normalized", "name")))
    )
    for actor in actors.iterator(chunk_size=CHUNK):
        yield {
            "type": "actor",
            "id": actor.pk,
            "slug": actor.slug,
            "name": actor.name,
            "kind": actor.kind,
            "description": actor.description,
            "affiliation": actor.affiliation.slug if actor.affiliation else None,
            "reviewed": actor.reviewed,
            "extraction_rule": actor.extraction_rule,
            "aliases": [a.name for a in actor.aliases.all()],
            "created_at": _stamp(actor.created_at),
            "updated_at": _stamp(actor.updated_at),
        }

    participants = EventParticipant.objects.select_related("actor").order_by("actor__slug", "role")
    events = Event.objects.order_by("slug").prefetch_related(
        Prefetch("participations", participants)
    )
    for event in events.iterator(chunk_size=CHUNK):
        yield {
            "type": "event",
            "id": event.pk,
            "slug": event.slug,
            "title": event.title,
            "kind": event.kind,
            "start_date": _day(event.start_date),
            "end_date": _day(event.end_date),
            "date_precision": event.date_precision,
            "location": event.location,
            "description": event.description,
            "extraction_rule": event.extraction_rule,
            "participants": [
                {"actor": p.actor.slug, "role": p.role} for p in event.participations.all()
            ],
            "created_at": _stamp(event.created_at),
            "updated_at": _stamp(event.updated_at),
        }

    evidence = (
        Evidence.objects.select_related("passage__source")
        .only(
            *["id", "claim_id", "stance", "note", "created_at", "passage__start", "passage__end"],
            "passage__source__slug",
        )
        .prefetch_related(Prefetch("actors", Actor.objects.only("slug")))
    )
    claims = (
        Claim.objects.order_by("slug")
        .select_related("claimant", "event", "author")
        .prefetch_related(
            Prefetch("subjects", Actor.objects.only("slug")),
            "tags",
            Prefetch("evidence", evidence),
        )
    )
    for claim in claims.iterator(chunk_size=CHUNK):
        items = sorted(
            (
                {
                    "id": e.pk,
                    "source": e.passage.source.slug,
                    "start": e.passage.start,
                    "end": e.passage.end,
                    "stance": e.stance,
                    "actors": sorted(a.slug for a in e.actors.all()),
                    "note": e.note,
                    "created_at": _stamp(e.created_at),
                }
                for e in claim.evidence.all()
            ),
            key=lambda e: (e["source"], e["start"], e["end"]),
        )
        yield {
            "type": "claim",
            "id": claim.pk,
            "slug": claim.slug,
            "statement": claim.statement,
            "claimant": claim.claimant.slug if claim.claimant else None,
            "subjects": sorted(a.slug for a in claim.subjects.all()),
            "event": claim.event.slug if claim.event else None,
            "kind": claim.kind,
            "status": claim.status,
            "tags": sorted(t.slug for t in claim.tags.all()),
            "author": claim.author.username if claim.author else None,
            "extraction_rule": claim.extraction_rule,
            "published_at": _stamp(claim.published_at),
            "created_at": _stamp(claim.created_at),
            "updated_at": _stamp(claim.updated_at),
            "evidence": items,
        }


def write_bundle(out):
    """Write the whole knowledge base to the binary stream `out`; returns the counts.

    Reads in one transaction (a consistent snapshot on PostgreSQL)."""
    digest = hashlib.sha256()
    counts = dict.fromkeys(SECTIONS, 0)
    with transaction.atomic():
        header = _line({"format": FORMAT, "version": VERSION})
        digest.update(header)
        out.write(header)
        for record in _records():
            counts[record["type"]] += 1
            data = _line(record)
            digest.update(data)
            out.write(data)
    out.write(_line({"type": "end", "counts": counts, "sha256": digest.hexdigest()}))
    return counts


# -- validation ----------------------------------------------------------------------------

STR, TEXT, INT, BOOL, DAY, STAMP, SLUGREF, TAGSLUG, LIST = (
    "str",
    "text",
    "int",
    "bool",
    "date",
    "datetime",
    "slug",
    "tag slug",
    "list",
)


def _max(model, name):
    return model._meta.get_field(name).max_length


SCHEMA = {
    "user": {"username": (STR, 150, False)},
    "tag": {"name": (STR, 100, False), "slug": (TAGSLUG, 100, False)},
    "source": {
        "id": (INT, None, False),
        "slug": (SLUGREF, _max(Source, "slug"), False),
        "title": (STR, _max(Source, "title"), False),
        "url": (STR, _max(Source, "url"), False),
        "publisher": (STR, _max(Source, "publisher"), False),
        "published_on": (DAY, None, True),
        "origin": (STR, _max(Source, "origin"), False),
        "content_hash": (STR, 64, False),
        "text": (TEXT, None, False),
        "created_at": (STAMP, None, False),
        "updated_at": (STAMP, None, False),
        "passages": (LIST, None, False),
    },
    "passage": {
        "id": (INT, None, False),
        "start": (INT, None, False),
        "end": (INT, None, False),
        "kind": (STR, 16, False),
        "prefix": (STR, 64, False),
        "suffix": (STR, 64, False),
        "repeat_of": (LIST, None, True),
    },
    "actor": {
        "id": (INT, None, False),
        "slug": (SLUGREF, _max(Actor, "slug"), False),
        "name": (STR, _max(Actor, "name"), False),
        "kind": (STR, 20, False),
        "description": (TEXT, None, False),
        "affiliation": (SLUGREF, None, True),
        "reviewed": (BOOL, None, False),
        "extraction_rule": (STR, 60, False),
        "aliases": (LIST, None, False),
        "created_at": (STAMP, None, False),
        "updated_at": (STAMP, None, False),
    },
    "event": {
        "id": (INT, None, False),
        "slug": (SLUGREF, _max(Event, "slug"), False),
        "title": (STR, _max(Event, "title"), False),
        "kind": (STR, 16, False),
        "start_date": (DAY, None, True),
        "end_date": (DAY, None, True),
        "date_precision": (STR, 8, False),
        "location": (STR, _max(Event, "location"), False),
        "description": (TEXT, None, False),
        "extraction_rule": (STR, 60, False),
        "participants": (LIST, None, False),
        "created_at": (STAMP, None, False),
        "updated_at": (STAMP, None, False),
    },
    "participant": {"actor": (SLUGREF, None, False), "role": (STR, 100, False)},
    "claim": {
        "id": (INT, None, False),
        "slug": (SLUGREF, _max(Claim, "slug"), False),
        "statement": (TEXT, None, False),
        "claimant": (SLUGREF, None, True),
        "subjects": (LIST, None, False),
        "event": (SLUGREF, None, True),
        "kind": (STR, 24, False),
        "status": (STR, 12, False),
        "tags": (LIST, None, False),
        "author": (STR, 150, True),
        "extraction_rule": (STR, 60, False),
        "published_at": (STAMP, None, True),
        "created_at": (STAMP, None, False),
        "updated_at": (STAMP, None, False),
        "evidence": (LIST, None, False),
    },
    "evidence": {
        "id": (INT, None, False),
        "source": (SLUGREF, None, False),
        "start": (INT, None, False),
        "end": (INT, None, False),
        "stance": (STR, 10, False),
        "actors": (LIST, None, False),
        "note": (TEXT, None, False),
        "created_at": (STAMP, None, False),
    },
}
CHOICES = {
    ("passage", "kind"): Passage.Kind.values,
    ("actor", "kind"): Actor.Kind.values,
    ("event", "kind"): Event.Kind.values,
    ("event", "date_precision"): Event.Precision.values,
    ("claim", "kind"): Claim.Kind.values,
    ("claim", "status"): Claim.Status.values,
    ("evidence", "stance"): Evidence.Stance.values,
}


def _check(record, kind, where):
    """Check one record (or nested item) against SCHEMA; raise BundleError saying what is wrong."""
    if not isinstance(record, dict):
        raise BundleError(f"{where}: a {kind} must be a JSON object.")
    expected = SCHEMA[kind]
    keys = set(record) - {"type"}
    if missing := sorted(set(expected) - keys):
        raise BundleError(f"{where}: the {kind} lacks {', '.join(missing)}.")
    if extra := sorted(keys - set(expected)):
        raise BundleError(f"{where}: unknown field(s) {', '.join(extra)} in a {kind}.")
    for name, (type_, max_length, nullable) in expected.items():
        value = record[name]
        label = f"{where}: {kind} field “{name}”"
        if value is None:
            if not nullable:
                raise BundleError(f"{label} must not be null.")
            continue
        if type_ == INT:
            if type(value) is not int or value < 0:
                raise BundleError(f"{label} must be a whole number ≥ 0.")
        elif type_ == BOOL:
            if type(value) is not bool:
                raise BundleError(f"{label} must be true or false.")
        elif type_ == LIST:
            if not isinstance(value, list):
                raise BundleError(f"{label} must be a list.")
        else:
            if not isinstance(value, str):
                raise BundleError(f"{label} must be a string.")
            if "\x00" in value:
                raise BundleError(f"{label} contains a NUL character.")
            if max_length and len(value) > max_length:
                raise BundleError(f"{label} is longer than {max_length} characters.")
            if (type_ == SLUGREF and not SLUG.match(value)) or (
                type_ == TAGSLUG and not TAG_SLUG.match(value)
            ):
                raise BundleError(f"{label} is not a slug: {value[:40]!r}.")
            try:
                if type_ == DAY:
                    datetime.date.fromisoformat(value)
                elif type_ == STAMP:
                    moment = datetime.datetime.fromisoformat(value)
                    if moment.tzinfo is None:
                        raise ValueError
            except ValueError:
                raise BundleError(f"{label} is not an ISO 8601 {type_}: {value[:40]!r}.") from None
        if (kind, name) in CHOICES and value not in CHOICES[(kind, name)]:
            raise BundleError(f"{label} has an unknown value {value[:40]!r}.")


def _check_strings(values, where, what):
    if not all(isinstance(v, str) and v and "\x00" not in v for v in values):
        raise BundleError(f"{where}: {what} must be non-empty strings.")


@dataclass
class Known:
    """What the file declares, to check references before anything is written."""

    users: set = field(default_factory=set)
    tags: set = field(default_factory=set)
    sources: dict = field(default_factory=dict)  # slug -> set of (start, end)
    actors: set = field(default_factory=set)
    events: set = field(default_factory=set)
    claims: set = field(default_factory=set)


def _check_record(record, where, known):
    kind = record.get("type")
    _check(record, kind, where)
    if kind == "user":
        _check_strings([record["username"]], where, "a user name")
        known.users.add(record["username"])
    elif kind == "tag":
        known.tags.add(record["slug"])
    elif kind == "source":
        text = record["text"]
        if not text.strip():
            raise BundleError(f"{where}: source “{record['slug']}” has no text.")
        if content_hash(text) != record["content_hash"]:
            raise BundleError(f"{where}: source “{record['slug']}” text does not match its hash.")
        if record["url"] and not is_web_url(record["url"]):
            raise BundleError(
                f"{where}: source “{record['slug']}” URL {record['url'][:40]!r} does not start "
                "with http:// or https://."
            )
        spans = set()
        for n, passage in enumerate(record["passages"], 1):
            at = f"{where}, passage {n}"
            _check(passage, "passage", at)
            if not passage["start"] < passage["end"] <= len(text):
                raise BundleError(f"{at}: offsets outside the source text.")
            spans.add((passage["start"], passage["end"]))
        for passage in record["passages"]:
            repeat = passage["repeat_of"]
            if repeat is not None and tuple(repeat) not in spans:
                raise BundleError(f"{where}: a passage repeats a passage not in the source.")
        known.sources[record["slug"]] = spans
    elif kind == "actor":
        _check_strings(record["aliases"], where, "aliases")
        if record["affiliation"] is not None and record["affiliation"] == record["slug"]:
            raise BundleError(f"{where}: actor “{record['slug']}” is affiliated to itself.")
        known.actors.add(record["slug"])
    elif kind == "event":
        for participant in record["participants"]:
            _check(participant, "participant", where)
            if participant["actor"] not in known.actors:
                raise BundleError(f"{where}: participant “{participant['actor']}” is not in it.")
        known.events.add(record["slug"])
    elif kind == "claim":
        if not record["statement"].strip():
            raise BundleError(f"{where}: claim “{record['slug']}” has no statement.")
        refs = [record["claimant"], *record["subjects"]]
        _check_strings(record["subjects"] + record["tags"], where, "subjects and tags")
        for n, item in enumerate(record["evidence"], 1):
            at = f"{where}, evidence {n}"
            _check(item, "evidence", at)
            _check_strings(item["actors"], at, "actors")
            refs += item["actors"]
            if (item["start"], item["end"]) not in known.sources.get(item["source"], ()):
                raise BundleError(f"{at}: its passage is not in the bundle.")
        spans = [(e["source"], e["start"], e["end"], e["stance"]) for e in record["evidence"]]
        if pair := first_overlap(spans):
            i, j = pair
            raise BundleError(
                f"{where}, evidence {j + 1}: its passage overlaps evidence {i + 1} of claim "
                f"“{record['slug']}” with the same stance (characters {spans[i][1]}–"
                f"{spans[i][2]} of source “{spans[i][0]}”)."
            )
        if missing := sorted({r for r in refs if r is not None} - known.actors):
            raise BundleError(f"{where}: unknown actor(s) {', '.join(missing[:5])}.")
        if record["event"] is not None and record["event"] not in known.events:
            raise BundleError(f"{where}: unknown event “{record['event']}”.")
        if missing := sorted(set(record["tags"]) - known.tags):
            raise BundleError(f"{where}: unknown tag(s) {', '.join(missing[:5])}.")
        if record["author"] is not None and record["author"] not in known.users:
            raise BundleError(f"{where}: unknown author “{record['author']}”.")
        known.claims.add(record["slug"])


def _read(path):
    """Yield (line number, record) for every record line, after checking the envelope."""
    try:
        stream = open(path, "rb")  # noqa: SIM115 - closed below, also when the caller stops
    except OSError as error:
        raise BundleError(f"Cannot read {path}: {error.strerror}.") from None
    with stream:
        first = stream.readline()
        try:
            header = json.loads(first)
        except (ValueError, UnicodeDecodeError):
            header = None
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise BundleError(f"{path} is not a knowledge-base bundle (no “{FORMAT}” header).")
        if header.get("version") != VERSION:
            raise BundleError(
                f"{path} is a version {header.get('version')!r} bundle; this importer reads "
                f"version {VERSION} only."
            )
        digest = hashlib.sha256(first)
        number = 1
        for raw in stream:
            number += 1
            if not raw.endswith(b"\n"):
                raise BundleError(f"Line {number} is cut short: the file is truncated.")
            try:
                record = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError:
                raise BundleError(f"Line {number} is not valid UTF-8.") from None
            except ValueError as error:
                raise BundleError(f"Line {number} is not valid JSON ({error}).") from None
            if not isinstance(record, dict):
                raise BundleError(f"Line {number} is not a JSON object.")
            if record.get("type") == "end":
                if stream.read(1):
                    raise BundleError(f"Line {number}: there is data after the end record.")
                if record.get("sha256") != digest.hexdigest():
                    raise BundleError("The checksum does not match: the file was changed.")
                yield number, record
                return
            digest.update(raw)
            yield number, record
        raise BundleError("The end record is missing: the file is truncated.")


def check_bundle(path):
    """Read the whole file without writing anything; return the counts it declares."""
    known = Known()
    counts = dict.fromkeys(SECTIONS, 0)
    section = 0
    for number, record in _read(path):
        kind = record.get("type")
        where = f"Line {number}"
        if kind == "end":
            if record.get("counts") != counts:
                raise BundleError(f"{where}: the counts do not match the records.")
            return counts
        if kind not in SECTIONS:
            raise BundleError(f"{where}: unknown record type {str(kind)[:40]!r}.")
        if SECTIONS.index(kind) < section:
            raise BundleError(f"{where}: a {kind} after the {SECTIONS[section]} records.")
        section = SECTIONS.index(kind)
        _check_record(record, where, known)
        counts[kind] += 1
    raise BundleError("The end record is missing: the file is truncated.")  # pragma: no cover


# -- import --------------------------------------------------------------------------------


def _moment(value):
    return datetime.datetime.fromisoformat(value) if value else None


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _batches(records, size=CHUNK):
    batch = []
    for record in records:
        batch.append(record)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _free_ids(model, ids):
    taken = set(model.objects.filter(pk__in=ids).values_list("pk", flat=True))
    return {i for i in ids if i not in taken}


def _create(model, objects, stamps=("created_at", "updated_at")):
    """bulk_create, keeping bundle ids where free, then restore the timestamps that
    auto_now/auto_now_add overwrote."""
    if not objects:
        return []
    free = _free_ids(model, [o.pk for o in objects if o.pk is not None])
    saved = [{name: getattr(o, name) for name in stamps} for o in objects]
    for o in objects:
        if o.pk not in free:
            o.pk = None
    model.objects.bulk_create(objects, batch_size=CHUNK)
    if stamps:
        for o, values in zip(objects, saved, strict=True):
            for name, value in values.items():
                setattr(o, name, value)
        model.objects.bulk_update(objects, list(stamps), batch_size=CHUNK)
    return objects


@dataclass
class Result:
    created: dict = field(default_factory=dict)
    kept: dict = field(default_factory=dict)
    renamed: list = field(default_factory=list)
    held: dict = field(default_factory=dict)  # {reason: claims marked published, now in review}

    def add(self, kind, created=0, kept=0):
        self.created[kind] = self.created.get(kind, 0) + created
        self.kept[kind] = self.kept.get(kind, 0) + kept


class _Importer:
    def __init__(self, publisher):
        self.publisher = publisher
        self.result = Result()
        self.users = {}  # username -> id
        self.tags = {}  # bundle slug -> Tag id
        self.sources = {}  # bundle slug -> source id
        self.passages = {}  # (bundle source slug, start, end) -> passage id
        self.actors = {}  # bundle slug -> actor id
        self.events = {}  # bundle slug -> event id
        self.new_affiliations = []  # (actor id, affiliation slug)

    def run(self, path):
        by_kind = {kind: [] for kind in SECTIONS}
        handlers = {kind: getattr(self, f"_{kind}s") for kind in SECTIONS}
        current = None
        for _, record in _read(path):
            kind = record["type"]
            if kind != current and current is not None and by_kind[current]:
                handlers[current](by_kind[current])
                by_kind[current] = []
            current = kind
            if kind == "end":
                break
            by_kind[kind].append(record)
            if len(by_kind[kind]) >= CHUNK:
                handlers[kind](by_kind[kind])
                by_kind[kind] = []
        self._affiliations()
        return self.result

    def _users(self, records):
        User = get_user_model()
        names = [r["username"] for r in records]
        existing = dict(User.objects.filter(username__in=names).values_list("username", "pk"))
        created = 0
        for name in names:
            if name not in existing:
                user = User(username=name, is_active=False)
                user.set_unusable_password()
                user.save()
                existing[name] = user.pk
                created += 1
        self.result.add("user", created=created, kept=len(names) - created)
        self.users.update(existing)

    def _tags(self, records):
        for r in records:
            tag = (
                Tag.objects.filter(slug=r["slug"]).first()
                or Tag.objects.filter(name__iexact=r["name"]).first()
            )
            if tag:
                self.result.add("tag", kept=1)
            else:
                tag = Tag.objects.create(name=r["name"], slug=r["slug"])
                self.result.add("tag", created=1)
            self.tags[r["slug"]] = tag.pk

    def _sources(self, records):
        hashes = [r["content_hash"] for r in records]
        existing = dict(
            Source.objects.filter(content_hash__in=hashes).values_list("content_hash", "pk")
        )
        taken_slugs = set(
            Source.objects.filter(slug__in=[r["slug"] for r in records]).values_list(
                "slug", flat=True
            )
        )
        new = []
        for r in records:
            if r["content_hash"] in existing:
                self.result.add("source", kept=1)
                continue
            slug = r["slug"]
            if slug in taken_slugs:
                slug = unique_slug(Source, r["title"] or slug)
                self.result.renamed.append(f"source {r['slug']} → {slug}")
            new.append(
                Source(
                    pk=r["id"],
                    slug=slug,
                    title=r["title"],
                    url=r["url"],
                    publisher=r["publisher"],
                    published_on=_date(r["published_on"]),
                    origin=r["origin"],
                    content_hash=r["content_hash"],
                    text=r["text"],
                    created_at=_moment(r["created_at"]),
                    updated_at=_moment(r["updated_at"]),
                )
            )
        by_hash = {s.content_hash: s for s in _create(Source, new)}
        self.result.add("source", created=len(new))
        for r in records:
            source_id = by_hash[r["content_hash"]].pk if r["content_hash"] in by_hash else None
            self.sources[r["slug"]] = source_id or existing[r["content_hash"]]
        self._passages(records)

    def _passages(self, records):
        source_ids = [self.sources[r["slug"]] for r in records]
        have = {
            (source_id, start, end): pk
            for pk, source_id, start, end in Passage.objects.filter(
                source_id__in=source_ids
            ).values_list("pk", "source_id", "start", "end")
        }
        new, repeats = [], []
        for r in records:
            source_id = self.sources[r["slug"]]
            for p in r["passages"]:
                key = (source_id, p["start"], p["end"])
                if key in have:
                    continue
                passage = Passage(
                    pk=p["id"],
                    source_id=source_id,
                    start=p["start"],
                    end=p["end"],
                    text=r["text"][p["start"] : p["end"]],
                    prefix=p["prefix"],
                    suffix=p["suffix"],
                    kind=p["kind"],
                )
                new.append(passage)
                if p["repeat_of"]:
                    repeats.append((passage, (source_id, *p["repeat_of"])))
        _create(Passage, new, stamps=())
        self.result.add("passage", created=len(new), kept=sum(len(r["passages"]) for r in records))
        self.result.kept["passage"] -= len(new)
        for passage in new:
            have[(passage.source_id, passage.start, passage.end)] = passage.pk
        for passage, key in repeats:
            passage.repeat_of_id = have[key]
        if repeats:
            Passage.objects.bulk_update([p for p, _ in repeats], ["repeat_of"], batch_size=CHUNK)
        for r in records:
            source_id = self.sources[r["slug"]]
            for p in r["passages"]:
                self.passages[(r["slug"], p["start"], p["end"])] = have[
                    (source_id, p["start"], p["end"])
                ]

    def _actors(self, records):
        existing = dict(
            Actor.objects.filter(slug__in=[r["slug"] for r in records]).values_list("slug", "pk")
        )
        new = []
        for r in records:
            if r["slug"] in existing:
                self.result.add("actor", kept=1)
                continue
            actor = Actor(
                pk=r["id"],
                slug=r["slug"],
                name=r["name"],
                kind=r["kind"],
                description=r["description"],
                reviewed=r["reviewed"],
                extraction_rule=r["extraction_rule"],
                created_at=_moment(r["created_at"]),
                updated_at=_moment(r["updated_at"]),
            )
            actor.bundle = r
            new.append(actor)
        _create(Actor, new)
        self.result.add("actor", created=len(new))
        self.actors.update(existing)
        aliases = []
        for actor in new:
            self.actors[actor.slug] = actor.pk
            if actor.bundle["affiliation"]:
                self.new_affiliations.append((actor, actor.bundle["affiliation"]))
            for name in actor.bundle["aliases"]:
                aliases.append(ActorAlias(actor=actor, name=name, normalized=normalize_alias(name)))
        owners = dict(
            ActorAlias.objects.filter(normalized__in=[a.normalized for a in aliases]).values_list(
                "normalized", "actor__slug"
            )
        )
        seen = {}
        for alias in aliases:
            owner = owners.get(alias.normalized) or seen.get(alias.normalized)
            if owner and owner != alias.actor.slug:
                raise BundleError(
                    f"The alias “{alias.name}” of actor “{alias.actor.slug}” already names "
                    f"“{owner}” in this database; merge or rename one of them first."
                )
            seen[alias.normalized] = alias.actor.slug
        fresh = [a for a in aliases if a.normalized not in owners]
        ActorAlias.objects.bulk_create(fresh, batch_size=CHUNK)
        self.result.add("alias", created=len(fresh))

    def _affiliations(self):
        for actor, slug in self.new_affiliations:
            actor.affiliation_id = self.actors[slug]
        if self.new_affiliations:
            Actor.objects.bulk_update(
                [a for a, _ in self.new_affiliations], ["affiliation"], batch_size=CHUNK
            )

    def _events(self, records):
        existing = dict(
            Event.objects.filter(slug__in=[r["slug"] for r in records]).values_list("slug", "pk")
        )
        new = []
        for r in records:
            if r["slug"] in existing:
                self.result.add("event", kept=1)
                continue
            event = Event(
                pk=r["id"],
                slug=r["slug"],
                title=r["title"],
                kind=r["kind"],
                start_date=_date(r["start_date"]),
                end_date=_date(r["end_date"]),
                date_precision=r["date_precision"],
                location=r["location"],
                description=r["description"],
                extraction_rule=r["extraction_rule"],
                created_at=_moment(r["created_at"]),
                updated_at=_moment(r["updated_at"]),
            )
            event.bundle = r
            new.append(event)
        _create(Event, new)
        self.result.add("event", created=len(new))
        self.events.update(existing)
        participants = []
        for event in new:
            self.events[event.slug] = event.pk
            for p in event.bundle["participants"]:
                participants.append(
                    EventParticipant(event=event, actor_id=self.actors[p["actor"]], role=p["role"])
                )
        EventParticipant.objects.bulk_create(participants, batch_size=CHUNK)

    def _claims(self, records):
        existing = set(
            Claim.objects.filter(slug__in=[r["slug"] for r in records]).values_list(
                "slug", flat=True
            )
        )
        new = []
        for r in records:
            if r["slug"] in existing:
                self.result.add("claim", kept=1)
                continue
            claim = Claim(
                pk=r["id"],
                slug=r["slug"],
                statement=r["statement"],
                claimant_id=self.actors[r["claimant"]] if r["claimant"] else None,
                event_id=self.events[r["event"]] if r["event"] else None,
                kind=r["kind"],
                status=r["status"],
                author_id=self.users[r["author"]] if r["author"] else None,
                extraction_rule=r["extraction_rule"],
                published_at=_moment(r["published_at"]),
                created_at=_moment(r["created_at"]),
                updated_at=_moment(r["updated_at"]),
            )
            claim.bundle = r
            new.append(claim)
        statuses, held = publishing.arriving_statuses(self.publisher, new)
        for claim, status in zip(new, statuses, strict=True):
            claim.status = status
        for reason, n in held.items():
            self.result.held[reason] = self.result.held.get(reason, 0) + n
        _create(Claim, new)
        self.result.add("claim", created=len(new))
        subjects, tagged, evidence = [], [], []
        content_type = ContentType.objects.get_for_model(Claim)
        Subject = Claim.subjects.through
        for claim in new:
            r = claim.bundle
            subjects += [Subject(claim=claim, actor_id=self.actors[s]) for s in r["subjects"]]
            tagged += [
                TaggedItem(tag_id=self.tags[t], content_type=content_type, object_id=claim.pk)
                for t in r["tags"]
            ]
            for item in r["evidence"]:
                e = Evidence(
                    pk=item["id"],
                    claim=claim,
                    passage_id=self.passages[(item["source"], item["start"], item["end"])],
                    stance=item["stance"],
                    note=item["note"],
                    created_at=_moment(item["created_at"]),
                )
                e.bundle = item
                evidence.append(e)
        Subject.objects.bulk_create(subjects, batch_size=CHUNK)
        TaggedItem.objects.bulk_create(tagged, batch_size=CHUNK)
        _create(Evidence, evidence, stamps=("created_at",))
        StanceActor = Evidence.actors.through
        StanceActor.objects.bulk_create(
            [
                StanceActor(evidence=e, actor_id=self.actors[slug])
                for e in evidence
                for slug in e.bundle["actors"]
            ],
            batch_size=CHUNK,
        )
        self.result.add("evidence", created=len(evidence))


def import_bundle(path, publisher=None):
    """Check the whole file, then load it in one transaction, publishing as `publisher` (a user,
    or None: nobody). Raises BundleError (nothing written) on a bad file or a clash with this
    database; returns a Result."""
    check_bundle(path)
    with transaction.atomic():
        result = _Importer(publisher).run(path)
        models = [Source, Passage, Actor, ActorAlias, Event, EventParticipant, Claim, Evidence]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
    from claims.cache import bump

    bump()
    return result
