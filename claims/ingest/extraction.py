"""Propose actors, events and claims from an article's text (pure: text + gazetteer in, data out).

A pipeline of small stages, each a module with one job, composed here:

1. segmentation (claims/segmentation.py): headings, paragraphs, sentences with exact offsets;
2. mentions (mentions.py): names classified as persons, organisations and states, plus the
   aliases the gazetteer knows (`find_mentions` below);
3. coreference (coreference.py): the names and pronouns that are one actor;
4. attribution (attribution.py): quotes and reported speech with their speaker;
5. disputes (disputes.py): denials, and the claim each disputes;
6. claims (here): a draft claim per attribution, its disputing evidence, and — in articles
   that report nobody's words, such as analysis pieces — the source's own assertions.

Deterministic rules, no model. The gazetteer maps normalized aliases to actor keys (database
ids in the app, slugs in the quality check); actors the gazetteer does not know become
candidates keyed "new:<normalized name>", with every name form the article used for them.
Every proposal carries the rule that made it and a confidence, so analysts can sort by them.
"""

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from claims.ingest.attribution import (
    ACCUSE_VERBS,
    REPORTING_VERBS,
    SPEECH_VERBS,
    Speakers,
    attribute,
)
from claims.ingest.coreference import Entities
from claims.ingest.disputes import content_words, find_disputes, is_denial
from claims.ingest.mentions import PERSON, PLACE, SINGLE, find_names, is_title
from claims.segmentation import segments as split_segments
from claims.text import normalize_alias, word_set

_TOKEN = re.compile(r"\w[\w.'’]*\w|\w")
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_CAP_WORD = r"[A-Z][\w'’\-]*[\w]"
_HEDGE = re.compile(
    r"\b(?:may|might|could|would|will|shall|won['’]t|likely|unlikely|expected to|"
    r"anticipated to|set to|poised to|plans? to|going to|possibly|perhaps|forecasts?)\b"
)
_ANALYSIS = re.compile(
    r"\b(?:significan\w*|crucial|critical|important\w*|key|aims?\b|aimed|goal|objectives?|"
    r"strategic|underscores?|highlights?|highlighting|signals?|signifying|reflects?|suggests?|"
    r"demonstrates?|represents?|serves? as|seeks?|sought|interests?|reasons?|in order to|"
    r"potential|dominance|influence|willingness|ability|needs?)\b"
)
_SELF_REFERENCE = re.compile(r"\b(?:this article|this post|we can|read more)\b")
_MIN_WORDS = 6

# Cheap first tests: a rule's regex runs only when one of its words is in the sentence.
_WORD = re.compile(r"[a-z]+(?:['’]t)?")
_HEDGE_WORDS = word_set(
    "may might could would will shall won’t won't likely unlikely expected anticipated set "
    "poised plan plans going possibly perhaps forecast forecasts"
)
_SELF_WORDS = word_set("this read")
_EVENT_WORDS = {
    "war": word_set("war"),
    "visit": word_set("visit trip journey"),
    "meeting": word_set("meeting meetings summit summits talks"),
    "treaty": word_set("treaty agreement pact accord"),
}
_ANY_EVENT_WORD = frozenset().union(*_EVENT_WORDS.values())
# Words after a one-word name that make it a speaker ("Labour said", "Google has warned").
_SPEAKS_AFTER = re.compile(
    r"(?:,\s+[^,]{1,30},)?"  # "Tom Molomby, SC, said", "Ann Lee, 45, said"
    r",?\s+(?:(?:has|had|have|also|later|on\s+\w+day|yesterday|today)\s+)*(?:"
    + "|".join(sorted(SPEECH_VERBS | {"wants", "spokesman", "spokeswoman"}, key=len, reverse=True))
    + r")\b"
)
_SPEAKS_BEFORE = re.compile(
    r"(?:\bsaid|\baccording\s+to|\bspokes(?:man|woman)\s+for)\s+(?:the\s+)?$"
)
_ROLE_BEFORE = re.compile(
    r"(?:\b(?:leader|minister|secretary|chancellor|president|chairman|chairwoman|chief|"
    r"executive|director|spokes(?:man|woman|person)|governor|judge|lawyer|officer|head|"
    r"founder|editor|analyst|economist|professor|deputy|adviser|ambassador|mayor|senator|"
    r"commissioner|manager|boss|colleague|rival|candidate|member|mp|mep|justice|"
    r"inspector|superintendent|constable|detective|general|commander|colonel|captain|"
    r"by|named|called|of)|['’]s),?\s+$"
)
_WORD_BEFORE = re.compile(r"\b([a-z][\w-]+),?\s+$")
_APPOSITION_AFTER = re.compile(
    r",\s+(?:the|a|an|who|whose|aged|\d{2},|chief|head|former|editor)\b|\s+\(\d{2}\)|"
    r"\s+of\s+(?:the\s+)?[A-Z]"
)
_TITLE_AFTER = re.compile(r",\s+([A-Za-z][\w-]+)\s")
# Plural nouns for unnamed people and bodies: "Witnesses said" names nobody.
_GENERIC_PEOPLE = word_set(
    "analysts officials witnesses critics residents experts observers sources diplomats "
    "economists traders investors campaigners activists protesters police officers doctors "
    "lawyers scientists researchers workers ministers lawmakers legislators senators voters "
    "parents teachers students villagers locals rebels militants soldiers troops firefighters "
    "paramedics rescuers authorities organisers organizers opponents supporters bankers "
    "dealers brokers executives insiders aides allies rivals commentators pundits polls "
    "surveys figures reports studies officers prosecutors investigators detectives "
    "negotiators mediators delegates members leaders scholars historians engineers "
    "employees staff unions shareholders customers consumers users farmers"
)
_MEDIUM_BEFORE = re.compile(
    r"(?i)\b(?:daily|newspaper|weekly|magazine|broadcaster|channel|news\s+agency|tabloid|"
    r"website|news\s+site|radio|television)\s+$"
)
_MEDIUM_AFTER = re.compile(
    r"\s+(?:newspaper|daily|news\s+agency|magazine|website|broadcaster|channel|tabloid|"
    r"TV|television|radio)\b"
)
_ROLE_AFTER = re.compile(
    r"['’]?s?\s+(?:creator|founder|co-founder|chief|boss|spokes(?:man|woman|person)|chairman|"
    r"chairwoman|executive|executives|official|officials|director|president|head|owner|"
    r"lawyer|lawyers|shareholders|staff|employees|analyst|analysts)\b"
)
_PLACE_PREPOSITION = re.compile(r"\b(?:in|at|from|to|near|into|across|of)\s+$")
_SENTENCE_START = re.compile(r"(?:\A|[.!?\n]|[.!?][\"”’])\s*[\"“‘]?\Z")
_LOWER_WORD = re.compile(r"\b[a-z][a-z'’-]+\b")
# How many attributions make an article one that reports what people say.
_REPORTING = 2


_YEAR = r"(?:1[89]\d\d|20\d\d)"
_WAR = re.compile(
    rf"\b(?P<title>(?:{_CAP_WORD}\s+){{1,3}}War)\b(?:\s*\((?P<y1>{_YEAR})\s*[-–]\s*(?P<y2>{_YEAR})\))?"
)
_VISIT = re.compile(r"\b(?:(?P<year>" + _YEAR + r")\s+)?(?P<noun>visit|trip|journey)\s+to\s+")
_MEETING = re.compile(
    r"\b(?:(?P<year>" + _YEAR + r")\s+)?(?P<noun>meeting|summit|talks)s?\s+with\s+"
    r"(?:(?:North|South|\w+ese|\w+an)\s+)?(?:leader\s+)?"
)
_TREATY = re.compile(
    r"\b(?P<title>(?:partnership|peace|defen[cs]e|security|cooperation|friendship|"
    r"non-aggression|strategic)\s+(?:treaty|agreement|pact|accord))\b"
)


# --- results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    actor: object  # a gazetteer key, or "new:<normalized>" for a candidate


@dataclass(frozen=True)
class CandidateActor:
    key: str
    name: str
    kind: str
    rule: str
    aliases: tuple = ()  # every other name form the article used for it


@dataclass
class ProposedEvent:
    title: str  # "{0} visit to {1}": placeholders are indexes into `participants`
    kind: str
    participants: tuple
    roles: tuple
    rule: str
    start_year: int | None = None
    end_year: int | None = None


@dataclass
class ProposedClaim:
    statement: str
    kind: str
    rule: str
    sentence: tuple  # (start, end) of the sentence or one-sentence paragraph it starts in
    support: tuple  # (start, end) of the supporting passage
    claimant: object = None
    subjects: tuple = ()
    support_actors: tuple = ()
    disputes: list = field(default_factory=list)  # [((start, end), actor keys)]
    event: int | None = None  # index into Extraction.events
    confidence: float = 0.5

    @property
    def dispute(self):
        """The first disputing passage, or None."""
        return self.disputes[0][0] if self.disputes else None

    @property
    def dispute_actors(self):
        return self.disputes[0][1] if self.disputes else ()


@dataclass(frozen=True)
class OpenDispute:
    passage: tuple  # (start, end) of the denial
    deniers: tuple  # actor keys
    accusers: tuple  # actor keys of the accusers it names, if any
    words: frozenset  # its content words, to match a claim's statement


class Unit(NamedTuple):
    """A sentence (or one-sentence paragraph) being read, with what the rules test first."""

    start: int
    end: int
    text: str
    lower: str  # lowercased, same offsets as `text`
    words: frozenset  # its lowercase words

    @classmethod
    def read(cls, text, start, end):
        sentence = text[start:end]
        # str.lower() makes two code points of "İ"; folding it first keeps the offsets.
        lower = sentence.replace("\u0130", "I").lower()
        return cls(start, end, sentence, lower, frozenset(_WORD.findall(lower)))


@dataclass
class Extraction:
    mentions: list = field(default_factory=list)
    candidates: dict = field(default_factory=dict)
    claims: list = field(default_factory=list)
    events: list = field(default_factory=list)
    # Known actors (gazetteer keys) → name forms the article used that the gazetteer lacks.
    new_aliases: dict = field(default_factory=dict)
    # Denials whose disputed claim is not in this article: the writer looks among the
    # claims already in the knowledge base.
    open_disputes: list = field(default_factory=list)

    @property
    def actors(self):
        return {m.actor for m in self.mentions}


@dataclass(frozen=True)
class Gazetteer:
    aliases: dict  # normalized alias → actor key
    kinds: dict = field(default_factory=dict)  # actor key → Actor.Kind value
    widths: dict = field(default_factory=dict)  # first word of an alias → most words after it
    # The writer's memory of rows it looked up or wrote in earlier articles of the same run
    # (actor names, events), so that each article does not ask the database again.
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(cls, aliases, kinds=None):
        gazetteer = cls({}, dict(kinds or {}))
        for alias, key in aliases.items():
            gazetteer.add(alias, key)
        return gazetteer

    def add(self, alias, key, kind=None):
        words = alias.split(" ")
        self.aliases.setdefault(alias, key)
        self.widths[words[0]] = max(self.widths.get(words[0], 0), len(words))
        if kind:
            self.kinds[key] = kind


# --- actor mentions ----------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def _token_key(token):
    return normalize_alias(_POSSESSIVE.sub("", token))


def _may_start_mention(token):
    first = token[0]
    return first.isupper() or first.isdigit() or (len(token) >= 5 and token.lower() != "these")


@lru_cache(maxsize=65536)
def _first_word(key):
    return key.split(" ", 1)[0]


def _longest_alias(keys, i, n, gazetteer):
    """(width, actor) of the longest alias starting at token i, or None."""
    key = keys[i]
    most = gazetteer.widths.get(_first_word(key))
    if not most:
        return None
    for width in range(min(most, n - i), 0, -1):
        actor = gazetteer.aliases.get(" ".join(keys[i : i + width]) if width > 1 else key)
        if actor is not None:
            return width, actor
    return None


def find_mentions(text, start, end, gazetteer):
    """Known actors named in text[start:end], longest alias first, non-overlapping.

    A long alias can name another actor inside it ("Spokesman for the National Security
    Council John Kirby"): that body is mentioned too.
    """
    matches = list(_TOKEN.finditer(text, start, end))
    words = [m[0] for m in matches]
    keys = list(map(_token_key, words))
    widths = gazetteer.widths
    # Most tokens start no alias at all: one pass over the first words rules them out.
    starts = [i for i, first in enumerate(map(_first_word, keys)) if first in widths]
    found, n, free_from = [], len(words), 0

    def mention(i, width, actor):
        last = words[i + width - 1]
        stop = matches[i + width - 1].start() + len(_POSSESSIVE.sub("", last))
        return Mention(matches[i].start(), stop, actor)

    for i in starts:
        if i < free_from or not _may_start_mention(words[i]):
            continue
        hit = _longest_alias(keys, i, n, gazetteer)
        if not hit:
            continue
        width, actor = hit
        found.append(mention(i, width, actor))
        j, free_from = i + 1, i + width
        while j < free_from:
            inner = _longest_alias(keys, j, free_from, gazetteer)
            if inner and inner[1] != actor and words[j][0].isupper():
                found.append(mention(j, inner[0], inner[1]))
                j += inner[0]
            else:
                j += 1
    return found


# --- events ------------------------------------------------------------------------------------


def _first_mention_after(mentions, pos, limit=40):
    return next((m for m in mentions if pos <= m.start <= pos + limit), None)


def _year(value):
    return int(value) if value else None


def _visitor(text, pos, mentions, last_person):
    """Whose visit: "Putin's visit", "his 2000 meeting" (the last person named); else None.

    `last_person` is a function of a position: the person a pronoun there stands for.
    """
    head = text[max(0, pos - 12) : pos]
    if re.search(r"\b(?:his|her|their)\s+$", head):
        return last_person(pos)
    owner = next((m for m in reversed(mentions) if m.end <= pos), None)
    if owner and re.fullmatch(r"['’]s?\s+", text[owner.end : pos]):
        return owner.actor
    return None


def events_in_sentence(text, unit, mentions, last_person):
    a, b, words = unit.start, unit.end, unit.words
    if words.isdisjoint(_ANY_EVENT_WORD):
        return []
    found = []
    for match in _WAR.finditer(text, a, b) if words & _EVENT_WORDS["war"] else ():
        title = " ".join(match.group("title").split())
        if title.split()[0] in ("The", "A", "During", "After", "Before", "In"):
            title = title.split(" ", 1)[1]
        y1, y2 = _year(match.group("y1")), _year(match.group("y2"))
        found.append(ProposedEvent(title, "war", (), (), "war", y1, y2))
    for pattern, default_kind in ((_VISIT, "visit"), (_MEETING, "meeting")):
        if not words & _EVENT_WORDS[default_kind]:
            continue
        for match in pattern.finditer(text, a, b):
            other = _first_mention_after(mentions, match.end(), limit=0)
            if other is None:
                continue
            guest = _visitor(text, match.start(), mentions, last_person)
            if guest is None or guest == other.actor:
                continue
            noun = match.group("noun")
            kind = "summit" if noun == "summit" else default_kind
            verb = {"visit": "visit to", "summit": "summit with"}.get(kind, "meeting with")
            roles = ("guest", "host") if kind == "visit" else ("participant", "participant")
            year = _year(match.group("year"))
            found.append(
                ProposedEvent(f"{{0}} {verb} {{1}}", kind, (guest, other.actor), roles, kind, year)
            )
    for match in _TREATY.finditer(unit.lower) if words & _EVENT_WORDS["treaty"] else ():
        parties = _unique(m.actor for m in mentions)
        if len(parties) < 2:
            continue
        label = match.group("title")
        title = " – ".join(f"{{{i}}}" for i in range(len(parties[:2]))) + f" {label}"
        found.append(ProposedEvent(title, "treaty", parties[:2], ("party", "party"), "treaty"))
    return found


# --- the source's own voice --------------------------------------------------------------------


def _unique(keys):
    return tuple(dict.fromkeys(k for k in keys if k is not None))


def _claim_kind(unit):
    if unit.words & _HEDGE_WORDS and _HEDGE.search(unit.lower):
        return "prediction"
    return "analysis" if _ANALYSIS.search(unit.lower) else "fact"


def _statement(text):
    text = " ".join(text.split())
    return text[0].upper() + text[1:] if text else text


def own_voice_claim(unit, mentions):
    """An assertion in the source's own voice about named actors, or a prediction; else None."""
    if unit.text.endswith("?") or len(unit.text.split()) < _MIN_WORDS:
        return None
    if unit.words & _SELF_WORDS and _SELF_REFERENCE.search(unit.lower):
        return None
    actors = _unique(m.actor for m in mentions)
    kind = _claim_kind(unit)
    if not actors and kind != "prediction":
        return None
    rule = "prediction" if kind == "prediction" else "assertion"
    span = (unit.start, unit.end)
    return ProposedClaim(
        _statement(unit.text), kind, rule, span, span, subjects=actors, confidence=0.3
    )


# --- the whole article -------------------------------------------------------------------------


def claim_units(segments):
    """Spans worth a claim: sentences, and paragraphs that are one sentence; never a repeat."""
    with_sentences = {s.parent for s in segments if s.kind == "sentence"}
    for i, seg in enumerate(segments):
        if seg.repeat_of is not None:
            continue
        if seg.kind == "sentence" or (seg.kind == "paragraph" and i not in with_sentences):
            yield seg.start, seg.end


def _paragraphs(segments):
    """[(start, end, [sentence spans])] of the paragraphs that are not repeats."""
    found = []
    for seg in segments:
        if seg.repeat_of is not None:
            continue
        if seg.kind == "paragraph":
            found.append((seg.start, seg.end, []))
        elif seg.kind == "sentence" and found:
            found[-1][2].append((seg.start, seg.end))
    return [(a, b, sentences or [(a, b)]) for a, b, sentences in found]


def _speaks(text, name):
    return bool(
        _SPEAKS_AFTER.match(text, name.end)
        or _SPEAKS_BEFORE.search(text[max(0, name.start - 30) : name.start])
    )


def _read_names(text, segments, gazetteer):
    """Stages 2 and 3: every actor reference in the article, in text order."""
    entities = Entities(gazetteer)
    items = []
    for seg in segments:
        if seg.repeat_of is not None or seg.kind == "sentence":
            continue
        known = find_mentions(text, seg.start, seg.end, gazetteer)
        spans = [(m.start, m.end) for m in known]
        names = find_names(text, seg.start, seg.end)
        here = [(m.start, 0, m) for m in known]
        here += [
            (n.start, 1, n) for n in names if not any(a < n.end and n.start < b for a, b in spans)
        ]
        items += sorted(here, key=lambda item: (item[0], item[1]))
    surnames = _surnames_seen(items)
    headings = [(seg.start, seg.end) for seg in segments if seg.kind == "heading"]
    actors = _acting_names(text, items, headings)
    lowercase_words = set(_LOWER_WORD.findall(text))
    last_body = None
    for _, is_name, item in items:
        if not is_name:
            last_body = entities.known(item, gazetteer.kinds.get(item.actor), text)
            continue
        if (
            (item.kind == SINGLE or " " not in item.text)
            and (item.text.lower() in lowercase_words or item.text.lower() in _GENERIC_PEOPLE)
            and _SENTENCE_START.search(text, max(0, item.start - 3), item.start)
        ):
            continue  # "Analysts said": a common word capitalized to start a sentence
        if item.kind in (SINGLE, PLACE):
            index = entities.add(item)
            if index is None and normalize_alias(item.name) in actors:
                index = entities.promote(item, actors[normalize_alias(item.name)])
        elif (
            item.rule == "acronym"
            and last_body is not None
            and _in_brackets_after(text, entities.references[-1].end, item.start)
        ):
            index = entities.refer(item, last_body)  # "Confederation of … (CBI)"
        elif (
            item.kind == PERSON
            and item.rule == "name"
            and not _looks_like_person(text, item, surnames)
        ):
            index = None
        else:
            index = entities.add(item)
        if index is not None:
            last_body = index
    entities.finish()
    return entities


def _acting_names(text, items, headings):
    """One-word names and places that act somewhere in the article, by kind: definite ("the
    Treasury"), speaking ("Tesco denied…"), owning a role ("Facebook creator Mark
    Zuckerberg", "a Tesco spokesman"), or named as a medium ("the daily al-Qabas", "Yonhap
    news agency"). Each of their mentions names that actor, the first one included."""
    found = dict.fromkeys(_recurring_names(text, items), "organization")
    for _, is_name, item in items:
        if (
            not is_name
            or item.kind not in (SINGLE, PLACE)
            or any(a <= item.start < b for a, b in headings)
        ):
            continue  # a headline's "Howard attacks Blair" is not how the article names him
        key = normalize_alias(item.name)
        before = text[max(0, item.start - 30) : item.start]
        if _MEDIUM_BEFORE.search(before) or _MEDIUM_AFTER.match(text, item.end):
            found[key] = "media"
        elif _speaks(text, item) or (item.kind == PLACE and _ROLE_AFTER.match(text, item.end)):
            found.setdefault(key, "government_body" if item.kind == PLACE else "organization")
        elif item.kind == SINGLE and (
            before.lower().endswith("the ") or _ROLE_AFTER.match(text, item.end)
        ):
            found.setdefault(key, "organization")
    return found


def _recurring_names(text, items):
    """One-word names used twice or more other than as a place ("in Gaza"): "Israel accused
    Hamas…", "Hamas official…" — an actor, even one that never speaks. (A common word that
    starts sentences is dropped before this counts: it occurs in lower case too.)"""
    counts = {}
    for _, is_name, item in items:
        if not is_name or item.kind != SINGLE:
            continue
        if _PLACE_PREPOSITION.search(text[max(0, item.start - 6) : item.start]):
            continue
        key = normalize_alias(item.name)
        counts[key] = counts.get(key, 0) + 1
    return {key for key, n in counts.items() if n >= 2}


def _surnames_seen(items):
    """Last words of names used alone or after a title somewhere in the article."""
    seen = set()
    for _, is_name, item in items:
        if is_name and (item.kind == SINGLE or item.rule == "titled"):
            seen.add(normalize_alias(item.name.split()[-1]))
    return seen


def _looks_like_person(text, name, surnames):
    """Two to four capitalized words are a person's name when the article treats them as one:
    a role before ("leader Ed Miliband"), an apposition after ("Ed Miliband, the…"), the
    surname used again, or speech."""
    if normalize_alias(name.name.split()[-1]) in surnames or _speaks(text, name):
        return True
    before = text[max(0, name.start - 40) : name.start]
    if _ROLE_BEFORE.search(before):
        return True
    word = _WORD_BEFORE.search(before)
    if word and is_title(word.group(1)):  # "Senior researcher Mu Li", "chemist Ann Lee"
        return True
    if _APPOSITION_AFTER.match(text, name.end) is not None:
        return True
    role = _TITLE_AFTER.match(text, name.end)  # "Nalin Vissanji, President of the …"
    return role is not None and is_title(role.group(1))


def _in_brackets_after(text, end, start):
    return re.fullmatch(r"\s*\(", text[end:start]) is not None


def _mentions(entities):
    return [Mention(r.start, r.end, entities.entities[r.entity].key) for r in entities.references]


def _is_reporting(attributions):
    """An article that reports what people say (news), rather than an essay in its own voice."""
    said = [
        a
        for a in attributions
        if a.rule.startswith("quote") or a.rule == "according-to" or a.verb in REPORTING_VERBS
    ]
    return len(said) >= _REPORTING


def _kind_of(text, attribution):
    if is_denial(text, attribution):
        return "denial"
    if attribution.verb in ACCUSE_VERBS:
        return "allegation"
    return "attributed_statement"


def _claims_from(text, attributions, disputes, entities, mentions):
    """Stage 6: a draft claim per attribution, with its disputing evidence."""
    key = [e.key for e in entities.entities]
    starts = [m.start for m in mentions]

    def subjects(span, claimants):
        lo, hi = bisect.bisect_left(starts, span[0]), bisect.bisect_left(starts, span[1])
        return tuple(
            k
            for k in _unique(m.actor for m in mentions[lo:hi] if m.end <= span[1])
            if k not in claimants
        )

    claims, open_disputes = [], []
    for a in attributions:
        claimants = _unique([key[a.speaker], *(key[o] for o in a.others)])
        claims.append(
            ProposedClaim(
                statement=_statement(text[a.span[0] : a.span[1]]),
                kind=_kind_of(text, a),
                rule=a.rule,
                sentence=a.unit,
                support=a.span,
                claimant=claimants[0],
                subjects=subjects(a.span, claimants),
                support_actors=claimants,
                confidence=round(a.confidence, 2),
            )
        )
    accused = {}  # accusation span → its claim, when several denials answer it
    for dispute in disputes:
        denial = attributions[dispute.denial]
        deniers = _unique([key[denial.speaker], *(key[o] for o in denial.others)])
        if dispute.target is not None:
            claims[dispute.target].disputes.append((denial.span, deniers))
            continue
        accusers = _unique(key[i] for i in dispute.accusers)
        span = dispute.accusation
        if span is None:
            words = content_words(text, denial.span)
            open_disputes.append(OpenDispute(denial.span, deniers, accusers, words))
            continue
        if span in accused:
            accused[span].disputes.append((denial.span, deniers))
            continue
        claims.append(
            ProposedClaim(
                statement=_statement(text[span[0] : span[1]]),
                kind="allegation",
                rule="dispute",
                sentence=denial.unit,
                support=span,
                claimant=accusers[0],
                subjects=subjects(span, accusers),
                support_actors=accusers,
                disputes=[(denial.span, deniers)],
                confidence=0.6,
            )
        )
        accused[span] = claims[-1]
    return claims, open_disputes


def extract(text, gazetteer, segments=None):
    """Everything proposed for one article. `segments` defaults to segmentation.segments(text)."""
    segments = split_segments(text) if segments is None else segments
    entities = _read_names(text, segments, gazetteer)
    result = Extraction()
    mentions = result.mentions = _mentions(entities)
    for entity in entities.entities:
        if entity.known:
            forms = [f for f in entity.forms if normalize_alias(f) not in gazetteer.aliases]
            if forms:
                result.new_aliases[entity.key] = tuple(forms)
            continue
        if entity.key in result.candidates:
            continue
        aliases = tuple(f for f in entity.forms if normalize_alias(f) != entity.key[4:])
        result.candidates[entity.key] = CandidateActor(
            entity.key, entity.name, entity.kind, entity.rule, aliases
        )
    paragraphs = _paragraphs(segments)
    sentence_starts = sorted(s for _, _, sentences in paragraphs for s, _ in sentences)
    speakers = Speakers(text, entities.entities, entities.references, sentence_starts)
    attributions = attribute(text, paragraphs, speakers)
    disputes = find_disputes(text, attributions, speakers)
    result.claims, result.open_disputes = _claims_from(
        text, attributions, disputes, entities, mentions
    )
    claimed = sorted(c.support for c in result.claims)

    kinds = {m.actor: gazetteer.kinds.get(m.actor) for m in mentions}
    kinds.update({k: c.kind for k, c in result.candidates.items()})
    own_voice = not _is_reporting(attributions)
    event_index, last_person = {}, None
    by_unit = {c.sentence: c for c in result.claims}
    pos = 0
    for span in claim_units(segments):
        while pos < len(mentions) and mentions[pos].end <= span[0]:
            pos += 1
        here = []
        j = pos
        while j < len(mentions) and mentions[j].start < span[1]:
            here.append(mentions[j])
            j += 1

        def person_at(at, here=here, before=last_person):
            people = [m.actor for m in here if m.end <= at and kinds.get(m.actor) == PERSON]
            return people[-1] if people else before

        unit = Unit.read(text, *span)
        claim = by_unit.get(span)
        covered = claim is not None or any(a < span[1] and span[0] < b for a, b in claimed)
        if claim is None and own_voice and not covered:
            claim = own_voice_claim(unit, here)
            if claim is not None:
                result.claims.append(claim)
        for event in events_in_sentence(text, unit, here, person_at):
            key = (event.title, event.participants, event.start_year)
            if key not in event_index:
                event_index[key] = len(result.events)
                result.events.append(event)
            if claim is not None and claim.event is None:
                claim.event = event_index[key]
        people = [m.actor for m in here if kinds.get(m.actor) == PERSON]
        if people:
            last_person = people[-1]
    result.claims.sort(key=lambda c: c.support)
    return result
