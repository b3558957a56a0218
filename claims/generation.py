"""A deterministic synthetic knowledge base shaped like real use, as plain rows (no ORM here).

`generate_kb` and the benchmarks use it to fill a database at any size: thousands of actors with
aliases, article-length sources (one per ten claims) whose passages have exact offsets, events
with dated participants, claims with subjects and tags, about a tenth disputed and some
corroborated by several sources, every status. The same seed gives the same rows.

Rows are tuples in the column order of `COLUMNS`; ids are explicit (from `first_ids`) so rows can
reference each other before they are written. Text is built sentence by sentence, so every
passage's offsets are known exactly when its text is made.
"""

import datetime
import random
from dataclasses import dataclass, field

from claims.segmentation import blocks
from claims.text import content_hash, normalize_alias, short_slug

GENERATOR_VERSION = "1"  # bump when the rows change, so benchmark databases are rebuilt
CLAIMS_PER_SOURCE = 10
CONTEXT_CHARS = 32  # like Passage.save(): prefix and suffix for re-anchoring
ARTICLE_CHARS = 5500  # about 5–8 KB of text per source
SOURCES_PER_CHUNK = 500

# Column order of the rows each table receives (db column names).
COLUMNS = {
    "actor": (
        "id name slug kind description affiliation_id reviewed extraction_rule "
        "created_at updated_at"
    ),
    "alias": "id actor_id name normalized",
    "event": (
        "id title slug kind start_date end_date date_precision location description "
        "extraction_rule created_at updated_at"
    ),
    "participant": "id event_id actor_id role",
    "tag": "id name slug",
    "source": (
        "id title slug url publisher published_on text content_hash origin created_at updated_at"
    ),
    "passage": "id source_id start end text prefix suffix kind repeat_of_id",
    "claim": (
        "id statement slug claimant_id event_id kind status author_id extraction_rule "
        "published_at created_at updated_at"
    ),
    "claim_subject": "claim_id actor_id",
    "evidence": "id claim_id passage_id stance note created_at",
    "evidence_actor": "evidence_id actor_id",
    "tagged_item": "tag_id content_type_id object_id",
}
COLUMNS = {table: tuple(cols.split()) for table, cols in COLUMNS.items()}
# Tables whose rows carry their own id (the others take the database default).
WITH_IDS = (
    "actor",
    "alias",
    "event",
    "participant",
    "tag",
    "source",
    "passage",
    "claim",
    "evidence",
)


def _words(text):
    return tuple(text.split())


FIRST = _words(
    "Amina Boris Carmen Dmitri Elena Farid Grace Hiro Ines Jonas Kwame Lena Mateo Nadia Omar "
    "Priya Quentin Rosa Sergei Tariq Uma Viktor Wen Ximena Yusuf Zofia Anders Bianca Chen "
    "Dalia Emil Fatima Goran Hana Ivan Julia Kenji Leila Marco Nia Oskar Paula Rami Sofia "
    "Tomas Ulrike Vera Wael Yara Zeno Adil Bruna Ciaran Dora Erik Femi Gita Hugo Ilse Jin"
)
LAST = _words(
    "Abara Brandt Castillo Dvorak Eriksen Fontaine Gallo Haddad Ivanova Jansen Kowalski "
    "Larsen Moreau Novak Okafor Petrov Quist Rossi Sato Tanaka Ueda Varga Weber Xu Yilmaz "
    "Zhang Almeida Bauer Cohen Diallo Esposito Fischer Garcia Horvat Ito Jovanovic Kim "
    "Lindqvist Mensah Nakamura Olsen Park Ramos Silva Takahashi Umarov Volkov Wagner Yamamoto "
    "Zeller Adeyemi Berg Conti Demir Ekstrom Ferreira Grant Hoffmann Iqbal Jaramillo Keller "
    "Lopez Moller Nguyen Ortiz Popescu Richter Schmidt Toth Ulloa Vogel Walsh Young Zapata"
)
PLACE_STEMS = _words(
    "Alder Bran Cor Dun Esk Fal Gor Hal Ister Jor Kal Lor Mar Nor Ost Pel Quor Ros Sel Tor Ur "
    "Val Wes Yor Zan Ard Bel Cal Dor Eld"
)
PLACE_ENDS = _words("ia and ova esh mark ora istan onia avia ar")
ORG_ADJ = _words(
    "Northern Southern Eastern Western Central United Allied Free Democratic National Federal "
    "Independent Coastal Highland Pacific Atlantic Continental Royal"
)
ORG_NOUN = _words(
    "Trade Energy Security Press Labour Farmers Maritime Health Justice Science Veterans "
    "Youth Women Rail Water Mining Banking Transport Climate Media"
)
ORG_TYPE = _words(
    "Council Union Alliance Institute Agency Ministry Commission Association Front League "
    "Foundation Bureau"
)
MEDIA_NAMES = _words(
    "Herald Courier Observer Tribune Gazette Chronicle Dispatch Monitor Ledger Sentinel Post Times"
)
TOPICS = _words(
    "trade security elections energy sanctions diplomacy defence economy migration climate "
    "health technology agriculture finance infrastructure human-rights nuclear cyber maritime "
    "labour media corruption water education border"
)
PREDICATES = [
    "signed a trade agreement with",
    "sent military advisers to",
    "cut energy exports to",
    "opened new talks with",
    "imposed sanctions on",
    "promised reconstruction aid to",
    "accused officials of misleading",
    "deployed additional troops near",
    "withdrew its ambassador from",
    "agreed to share intelligence with",
    "increased grain shipments to",
    "blocked a resolution backed by",
    "proposed a ceasefire plan to",
    "hosted a delegation from",
    "secretly funded campaigns in",
    "rejected loan conditions set by",
]
OBJECTS = [
    "the border provinces",
    "the northern ports",
    "the regional parliament",
    "the capital's suburbs",
    "the coastal shipping lanes",
    "the mining districts",
    "the refugee camps",
    "the disputed islands",
]
FILLER_SUBJECTS = [
    "Analysts",
    "Local officials",
    "Diplomats in the region",
    "Several economists",
    "Residents of the capital",
    "Observers at the talks",
    "Opposition lawmakers",
    "Independent monitors",
    "Trade unions",
    "Foreign correspondents",
]
FILLER_VERBS = [
    "noted that",
    "cautioned that",
    "argued that",
    "pointed out that",
    "expected that",
    "remarked that",
    "doubted that",
    "reported that",
]
FILLER_CLAUSES = [
    "the negotiations would take longer than planned",
    "prices for fuel and bread had risen sharply over the winter",
    "the new budget leaves little room for social spending",
    "the previous agreement was never fully carried out",
    "turnout in the provincial vote was unusually low",
    "shipping insurance costs had doubled since the spring",
    "the ministry has not published its figures for the year",
    "the region depends heavily on imported grain and fertiliser",
    "the courts have yet to rule on the contested decree",
    "public trust in the institutions remains fragile",
    "the border crossings were reopened for commercial traffic",
    "the central bank kept interest rates unchanged",
    "few details of the arrangement were made public",
    "the opposition plans to challenge the results",
    "the talks were described as frank and constructive",
    "the delegation left without a joint statement",
]
FILLER_TAILS = [
    "",
    ", according to people familiar with the matter",
    ", though no evidence was offered",
    ", a view shared by many in the region",
    ", citing figures from last year",
    " despite repeated assurances",
]
ROLES = ["host", "guest", "participant", "mediator", "belligerent", "observer"]
STATUS_WEIGHTS = (("published", 80), ("draft", 8), ("in_review", 7), ("withdrawn", 5))
CLAIM_KINDS = (
    ("fact", 35),
    ("attributed_statement", 30),
    ("analysis", 12),
    ("prediction", 8),
    ("allegation", 10),
    ("denial", 5),
)
EVENT_KINDS = ("visit", "meeting", "summit", "treaty", "war", "period", "statement", "other")
EPOCH = datetime.datetime(2023, 1, 1)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def stamp(moment):
    """Datetimes as naive UTC text, the form Django stores in SQLite and PostgreSQL reads."""
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def sizes(claims):
    """How many of each kind of row a knowledge base of `claims` claims gets."""
    return {
        "claims": claims,
        "sources": max(1, claims // CLAIMS_PER_SOURCE),
        "actors": min(5000, max(20, claims // 100)),
        "events": min(20000, max(10, claims // 50)),
        "tags": 150,
    }


@dataclass
class ActorInfo:
    id: int
    name: str
    kind: str
    names: list = field(default_factory=list)  # every alias spelling, the name first


@dataclass
class ClaimPlan:
    id: int
    claimant: ActorInfo | None
    subjects: list
    predicate: str
    obj: str
    disputers: list
    corroborations: int


class Generator:
    """Rows for a knowledge base of `claims` claims; `first_ids[table]` is the first id to use."""

    def __init__(self, claims, seed=1, first_ids=None, content_type_id=None):
        self.n = sizes(claims)
        self.seed = seed
        self.ids = {table: 1 for table in WITH_IDS}
        self.ids.update(first_ids or {})
        self.content_type_id = content_type_id
        self.rng = random.Random(seed)
        self.actors = []
        self.event_ids = []
        self.tag_ids = []
        self.filler = self._filler_pool(random.Random(f"{seed}:filler"))

    def _next_id(self, table):
        value = self.ids[table]
        self.ids[table] += 1
        return value

    # -- the small tables -------------------------------------------------------------------

    def people_tables(self):
        """Actors (with aliases and affiliations), events with participants, and tags."""
        rows = {"actor": [], "alias": [], "event": [], "participant": [], "tag": []}
        self._actors(rows)
        self._events(rows)
        self._tags(rows)
        return rows

    def _actor_names(self, rng):
        kinds = []
        count = self.n["actors"]
        states = min(count // 20 + 2, len(PLACE_STEMS) * len(PLACE_ENDS))
        places = [s + e for s in PLACE_STEMS for e in PLACE_ENDS]
        rng.shuffle(places)
        for place in places[:states]:
            kinds.append(("state", place, [f"Republic of {place}", place[:3].upper()]))
        orgs = [(a, n, t) for a in ORG_ADJ for n in ORG_NOUN for t in ORG_TYPE]
        rng.shuffle(orgs)
        media = [f"The {p} {m}" for p in places[states:] for m in MEDIA_NAMES]
        rng.shuffle(media)
        people = [(f, last) for f in FIRST for last in LAST]
        rng.shuffle(people)
        people_i = orgs_i = media_i = 0
        while len(kinds) < count:
            roll = rng.random()
            if roll < 0.6 and people_i < len(people):
                first, last = people[people_i]
                people_i += 1
                kinds.append(("person", f"{first} {last}", [f"{first[0]}. {last}", last]))
            elif roll < 0.9 and orgs_i < len(orgs):
                adj, noun, kind = orgs[orgs_i]
                orgs_i += 1
                name = f"{adj} {noun} {kind}"
                actor_kind = "government_body" if kind in ("Ministry", "Agency") else "organization"
                kinds.append(
                    (actor_kind, name, [f"{adj[0]}{noun[0]}{kind[0]}", f"the {noun} {kind}"])
                )
            elif media_i < len(media):
                kinds.append(("media", media[media_i], [media[media_i].removeprefix("The ")]))
                media_i += 1
            else:
                first, last = people[people_i % len(people)]
                people_i += 1
                name = f"{first} {last}-{LAST[people_i % len(LAST)]}"
                kinds.append(("person", name, []))
        return kinds

    def _actors(self, rows):
        rng = random.Random(f"{self.seed}:actors")
        taken_norm, taken_slug = set(), set()
        created = stamp(EPOCH - datetime.timedelta(days=30))
        bodies = []
        for kind, name, extra in self._actor_names(rng):
            normalized = normalize_alias(name)
            if normalized in taken_norm:
                continue
            actor = ActorInfo(self._next_id("actor"), name, kind)
            slug = short_slug(name)
            if slug in taken_slug:
                slug = f"{slug}-{actor.id}"
            taken_slug.add(slug)
            affiliation = None
            if kind == "person" and bodies and rng.random() < 0.4:
                affiliation = rng.choice(bodies).id
            elif kind in ("government_body", "organization") and bodies and rng.random() < 0.3:
                states = [b for b in bodies if b.kind == "state"]
                affiliation = rng.choice(states).id if states else None
            description = f"{name} ({kind.replace('_', ' ')}), a synthetic actor for benchmarks."
            rows["actor"].append(
                (actor.id, name, slug, kind, description, affiliation, True, "", created, created)
            )
            for alias in [name, *extra]:
                normalized = normalize_alias(alias)
                if not normalized or normalized in taken_norm:
                    continue
                taken_norm.add(normalized)
                actor.names.append(alias)
                rows["alias"].append((self._next_id("alias"), actor.id, alias, normalized))
            self.actors.append(actor)
            if kind in ("state", "government_body", "organization"):
                bodies.append(actor)

    def _events(self, rows):
        rng = random.Random(f"{self.seed}:events")
        created = stamp(EPOCH - datetime.timedelta(days=20))
        for _ in range(self.n["events"]):
            event_id = self._next_id("event")
            kind = rng.choice(EVENT_KINDS)
            place = rng.choice(PLACE_STEMS) + rng.choice(PLACE_ENDS)
            title = f"{kind.capitalize()} in {place} on {rng.choice(TOPICS).replace('-', ' ')}"
            precision = rng.choices(("day", "month", "year"), (60, 25, 15))[0]
            start = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(27000))
            if precision == "year":
                start = start.replace(month=1, day=1)
            elif precision == "month":
                start = start.replace(day=1)
            end = None
            if rng.random() < 0.3:
                end = start + datetime.timedelta(days=rng.randrange(1, 1500))
                if precision == "year":
                    end = end.replace(month=12, day=31)
            rows["event"].append(
                (
                    event_id,
                    title,
                    f"{short_slug(title, 60)}-{event_id}",
                    kind,
                    start.isoformat(),
                    end.isoformat() if end else None,
                    precision,
                    place,
                    f"A {kind} with several parties, recorded for benchmarks.",
                    "",
                    created,
                    created,
                )
            )
            for actor in rng.sample(self.actors, min(len(self.actors), rng.randint(2, 4))):
                role = rng.choice(ROLES)
                rows["participant"].append((self._next_id("participant"), event_id, actor.id, role))
            self.event_ids.append(event_id)

    def _tags(self, rows):
        regions = [s + "ia" for s in PLACE_STEMS]
        names = [t.replace("-", " ") for t in TOPICS]
        names += [f"{r} {t.replace('-', ' ')}" for r in regions for t in TOPICS]
        random.Random(f"{self.seed}:tags").shuffle(names)
        for name in sorted(names[: self.n["tags"]]):
            tag_id = self._next_id("tag")
            rows["tag"].append((tag_id, name.capitalize(), short_slug(name)))
            self.tag_ids.append(tag_id)

    # -- sources, passages, claims, evidence ------------------------------------------------

    def _filler_pool(self, rng):
        pool = set()
        while len(pool) < 600:
            pool.add(
                f"{rng.choice(FILLER_SUBJECTS)} {rng.choice(FILLER_VERBS)} "
                f"{rng.choice(FILLER_CLAUSES)}{rng.choice(FILLER_TAILS)}."
            )
        return sorted(pool)

    def chunks(self):
        """Yield dicts of rows for sources, passages, claims and what hangs on claims."""
        pending = {}  # source index → [(claim id, sentence)] corroborating an earlier claim
        sources = self.n["sources"]
        for first in range(0, sources, SOURCES_PER_CHUNK):
            rows = {
                t: [] for t in COLUMNS if t not in ("actor", "alias", "event", "participant", "tag")
            }
            for index in range(first, min(sources, first + SOURCES_PER_CHUNK)):
                self._source(index, rows, pending)
            yield rows

    def _plan_claim(self, rng, claim_id, index):
        claimant = rng.choice(self.actors) if rng.random() < 0.85 else None
        subjects = rng.sample(self.actors, rng.randint(1, 3))
        disputers = []
        if rng.random() < 0.1:
            others = [a for a in rng.sample(self.actors, 4) if a is not claimant]
            disputers = others[: rng.randint(1, 2)]
        corroborations = 0
        if rng.random() < 0.15 and index + 3 < self.n["sources"]:
            corroborations = rng.randint(1, 2)
        return ClaimPlan(
            claim_id,
            claimant,
            subjects,
            rng.choice(PREDICATES),
            rng.choice(OBJECTS),
            disputers,
            corroborations,
        )

    def _source(self, index, rows, pending):
        rng = random.Random(f"{self.seed}:source:{index}")
        total, sources = self.n["claims"], self.n["sources"]
        claim_ids = range(total * index // sources, total * (index + 1) // sources)
        plans = [self._plan_claim(rng, self.ids["claim"] + i, index) for i in range(len(claim_ids))]
        self.ids["claim"] += len(plans)

        # Sentences to place: each claim's, each dispute's, and corroborations due here.
        special = []  # (sentence, [(claim plan or id, stance, actors)])
        for plan in plans:
            special.append((self._claim_sentence(rng, plan), plan, "supports", []))
            if plan.disputers:
                special.append(
                    (self._dispute_sentence(rng, plan), plan, "disputes", plan.disputers)
                )
            for offset in range(1, plan.corroborations + 1):
                pending.setdefault(index + offset, []).append(
                    (plan.id, self._claim_sentence(rng, plan, corroborating=True))
                )
        for claim_id, sentence in pending.pop(index, []):
            special.append((sentence, claim_id, "supports", []))
        rng.shuffle(special)

        text, spans = self._article(rng, index, special)
        source_id = self._next_id("source")
        title = text[: text.index("\n")]
        published = datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randrange(3650))
        created = stamp(EPOCH + datetime.timedelta(minutes=index))
        slug = f"{short_slug(title, 60)}-{source_id}"
        rows["source"].append(
            (
                source_id,
                title,
                slug,
                f"https://news.example/{slug}",
                rng.choice(MEDIA_NAMES),
                published.isoformat(),
                text,
                content_hash(text),
                f"synthetic/{index + 1:07d}.txt",
                created,
                created,
            )
        )
        first_passage = {}
        block_ids = []
        for block in blocks(text):
            passage_id = self._next_id("passage")
            block_ids.append(passage_id)
            repeat = block_ids[block.repeat_of] if block.repeat_of is not None else None
            rows["passage"].append(
                self._passage(
                    passage_id, source_id, text, block.start, block.end, block.kind, repeat
                )
            )
            first_passage.setdefault(text[block.start : block.end], passage_id)

        evidence_at = stamp(EPOCH + datetime.timedelta(minutes=index, seconds=30))
        for (start, end), (_, target, stance, actors) in zip(spans, special, strict=True):
            passage_id = self._next_id("passage")
            rows["passage"].append(
                self._passage(passage_id, source_id, text, start, end, "sentence", None)
            )
            claim_id = target if isinstance(target, int) else target.id
            evidence_id = self._next_id("evidence")
            rows["evidence"].append((evidence_id, claim_id, passage_id, stance, "", evidence_at))
            for actor in actors:
                rows["evidence_actor"].append((evidence_id, actor.id))

        for plan in plans:
            self._claim_rows(rng, plan, index, rows)

    def _passage(self, passage_id, source_id, text, start, end, kind, repeat_of):
        return (
            passage_id,
            source_id,
            start,
            end,
            text[start:end],
            text[max(0, start - CONTEXT_CHARS) : start],
            text[end : end + CONTEXT_CHARS],
            kind,
            repeat_of,
        )

    def _say(self, rng, actor):
        return rng.choice(actor.names) if actor.names else actor.name

    def _claim_sentence(self, rng, plan, corroborating=False):
        subject = self._say(rng, plan.subjects[0])
        verb = "confirmed" if corroborating else "said"
        who = self._say(rng, plan.claimant) if plan.claimant else "Officials"
        return (
            f"{who} {verb} on {rng.choice(WEEKDAYS)} that {subject} had {plan.predicate} "
            f"{plan.obj} (ref. {plan.id})."
        )

    def _dispute_sentence(self, rng, plan):
        names = " and ".join(self._say(rng, a) for a in plan.disputers)
        return f"{names} rejected the report that {self._say(rng, plan.subjects[0])} had {plan.predicate} {plan.obj} (ref. {plan.id})."  # noqa: E501

    def _article(self, rng, index, special):
        """The article text and the (start, end) of each special sentence, in `special` order."""
        headline = f"Report {index + 1}: {rng.choice(ORG_ADJ)} {rng.choice(TOPICS).replace('-', ' ')} under scrutiny"  # noqa: E501
        parts, length = [headline, "\n"], len(headline) + 1
        spans = [None] * len(special)
        queue = list(range(len(special)))
        paragraphs = 0
        while length < ARTICLE_CHARS or queue:
            if paragraphs and paragraphs % 5 == 0:
                heading = f"{rng.choice(ORG_ADJ)} {rng.choice(TOPICS).replace('-', ' ')} in focus"
                parts += [heading, "\n"]
                length += len(heading) + 1
            sentences = rng.sample(self.filler, rng.randint(3, 5))
            for _ in range(min(len(queue), rng.randint(1, 2))):
                sentences.insert(rng.randrange(1, len(sentences) + 1), queue.pop())
            for i, sentence in enumerate(sentences):
                if i:
                    parts.append(" ")
                    length += 1
                if isinstance(sentence, int):
                    spans[sentence] = (length, length + len(special[sentence][0]))
                    sentence = special[sentence][0]
                parts.append(sentence)
                length += len(sentence)
            parts.append("\n")
            length += 1
            paragraphs += 1
        return "".join(parts).rstrip("\n"), spans

    def _claim_rows(self, rng, plan, index, rows):
        status = rng.choices(*zip(*STATUS_WEIGHTS, strict=True))[0]
        kind = rng.choices(*zip(*CLAIM_KINDS, strict=True))[0]
        subject = plan.subjects[0].name
        statement = f"{subject} {plan.predicate} {plan.obj}"
        if plan.claimant:
            statement = f"{plan.claimant.name} says {statement}"
        statement += f" (claim {plan.id})."
        created = EPOCH + datetime.timedelta(minutes=index, seconds=plan.id % 60)
        published = stamp(created + datetime.timedelta(hours=2)) if status == "published" else None
        event_id = rng.choice(self.event_ids) if rng.random() < 0.6 else None
        rows["claim"].append(
            (
                plan.id,
                statement,
                f"{short_slug(statement, 50)}-{plan.id}",
                plan.claimant.id if plan.claimant else None,
                event_id,
                kind,
                status,
                None,
                "",
                published,
                stamp(created),
                stamp(created),
            )
        )
        for actor in plan.subjects:
            rows["claim_subject"].append((plan.id, actor.id))
        for tag_id in rng.sample(self.tag_ids, rng.randint(1, 3)):
            rows["tagged_item"].append((tag_id, self.content_type_id, plan.id))
