"""Propose actors, events and claims from an article's text (pure: text + gazetteer in, data out).

Deterministic pattern rules, no model. The gazetteer maps normalized aliases to actor keys
(database ids in the app, slugs in the quality check); names the gazetteer does not know but
that look like people or bodies become candidate actors keyed "new:<normalized name>".
Every proposal carries the name of the rule that made it, so analysts can filter by it.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from claims.segmentation import segments as split_segments
from claims.text import normalize_alias, word_set

PERSON = "person"

# --- rules as patterns -------------------------------------------------------------------------
# Patterns written in lower case run on the lowercased sentence: `re` matches case-insensitively
# three to four times slower.


def _alternation(words):
    """A regex matching any of `words`, as a trie: `re` tries alternatives one by one, so
    "a(?:ccused|greed)" is much faster than "accused|agreed" over a hundred words."""
    tree = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node):
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{body})?" if "" in node else body

    return pattern(tree)


_TOKEN = re.compile(r"\w[\w.'’]*\w|\w")
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_CAP_WORD = r"[A-Z][\w'’\-]*[\w]"
_NAME = rf"{_CAP_WORD}(?:\s+(?:{_CAP_WORD}|de|van|von|bin|al|da|del|di|le|la))*"
_TITLES = (
    r"(?:Prime Minister|Foreign Minister|Defen[cs]e Minister|Finance Minister|Minister|"
    r"President|Vice President|Chancellor|Secretary(?: of State| General)?|Senator|Governor|"
    r"General|Admiral|Ambassador|Spokes(?:man|woman|person)|spokes(?:man|woman|person)|"
    r"leader|Leader|King|Queen|Pope|Prince|Mayor|Judge|Mr\.|Mrs\.|Ms\.|Dr\.)"
)
# No "\b" in front: `re` can then skip to a title's first letter instead of trying every title
# at every position (twice as fast). _titled_names() checks the word boundary.
_TITLED_NAME = re.compile(rf"{_TITLES}\s+(?P<name>{_CAP_WORD}(?:\s+{_CAP_WORD}){{1,3}})")
_ORG_WORDS = word_set(
    "Ministry Agency Council Committee Party Union Organization Organisation Institute Bank "
    "Commission Office Department Court Parliament Assembly Army Navy Forces Fund Association"
)
_MEDIA_WORDS = word_set("News Times Post Agency Press Radio TV Television Journal Herald Tribune")

_SAY_WORDS = word_set(
    "said says say told tells stated declared declares announced announces claimed claim "
    "insisted insists argued argues noted warned warns stressed stresses emphasized emphasizes "
    "emphasize emphasised emphasises emphasise expressed expresses express acknowledged "
    "acknowledges admitted admits confirmed confirms accused accuses alleged alleges criticized "
    "criticizes criticised criticises condemned condemns praised praises agreed agrees pledged "
    "pledges promised vowed vows urged urges believes believed thinks suggested suggests "
    "denied denies deny rejected rejects reject refuted refutes refute dismissed dismisses"
)
# Words that are nouns as often as verbs count only before "that", a colon or a quote.
_NOUN_LIKE = word_set("states notes adds added claims reports reported promises")
_SAY_VERB = re.compile(
    rf"\b(?:{_alternation(_SAY_WORDS)}|(?:called|calls) for|"
    rf"(?:{_alternation(_NOUN_LIKE)})(?=\s+(?:that\b|[:\"“])))\b"
)
_STANCE = re.compile(
    r"\b(?:is|are|was|were|remains?)\s+(?:\w+\s+)?(?:wary|concerned|worried|alarmed|"
    r"confident|optimistic|skeptical|sceptical)\b|\bha(?:s|ve|d)\s+(?:\w+\s+)?concerns?\b"
)
_BY_SPEAKER = re.compile(
    r"\b(?:according to|(?:described|called|characteri[sz]ed|published|reported|announced|"
    r"stated|aired|broadcast|claimed|quoted)\s+(?:\w+\s+)?by)\s+"
)
_STATE_MEDIA = re.compile(r"\b(?:state|official)\s+(?:media|television|news agency)\b")
_DISPUTE = re.compile(
    r"\b(?P<verb>refute[sd]?|den(?:y|ies|ied)|reject(?:s|ed)?|dismiss(?:es|ed)?|"
    r"rebuff(?:s|ed)?|contest(?:s|ed)?|disput(?:e|es|ed))\s+(?:the\s+)?"
    r"(?P<what>claims?|allegations?|accusations?|charges?|reports?|assertions?|suggestions?)"
    r"(?:\s+(?:made|levelled|leveled|voiced))?\s+by\s+"
)
_CLAUSE_END = re.compile(r"\b(?:that|over|of|about|regarding|on)\b|[,;:]")
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
_SELF_REFERENCE = re.compile(r"\b(?:this article|this post|we can|we will|read more)\b")
_PRONOUN_START = re.compile(r"^(?:He|She|His|Her)\b")
_MIN_WORDS = 6

# Cheap first tests: a rule's regex runs only when one of its words is in the sentence.
_WORD = re.compile(r"[a-z]+(?:['’]t)?")
_SAY_TRIGGER = _SAY_WORDS | _NOUN_LIKE | {"called", "calls"}
_STANCE_WORDS = word_set(
    "wary concerned worried alarmed confident optimistic skeptical sceptical concern concerns"
)
_DISPUTE_WORDS = word_set(
    "refute refutes refuted deny denies denied reject rejects rejected dismiss dismisses "
    "dismissed rebuff rebuffs rebuffed contest contests contested dispute disputes disputed"
)
_HEDGE_WORDS = word_set(
    "may might could would will shall won’t won't likely unlikely expected anticipated set "
    "poised plan plans going possibly perhaps forecast forecasts"
)
_MEDIA_TRIGGER = word_set("media television agency")
_SELF_WORDS = word_set("this we read")
_EVENT_WORDS = {
    "war": word_set("war"),
    "visit": word_set("visit trip journey"),
    "meeting": word_set("meeting meetings summit summits talks"),
    "treaty": word_set("treaty agreement pact accord"),
}
_ANY_EVENT_WORD = frozenset().union(*_EVENT_WORDS.values())


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
    sentence: tuple  # (start, end) of the sentence or one-sentence paragraph
    support: tuple  # (start, end) of the supporting passage
    claimant: object = None
    subjects: tuple = ()
    support_actors: tuple = ()
    dispute: tuple | None = None  # (start, end) of the disputing passage
    dispute_actors: tuple = ()
    event: int | None = None  # index into Extraction.events


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


def _candidate_kind(name):
    words = set(name.split())
    if words & _MEDIA_WORDS:
        return "media"
    if words & _ORG_WORDS:
        return "organization"
    return PERSON


def _titled_names(text, start, end):
    """The matches of _TITLED_NAME in text[start:end] that begin a word (a leading "\\b")."""
    pos = start
    while match := _TITLED_NAME.search(text, pos, end):
        at = match.start()
        if at and (text[at - 1].isalnum() or text[at - 1] == "_"):  # inside a word: not a title
            pos = at + 1
            continue
        yield match
        pos = match.end()


def find_candidates(text, start, end, gazetteer, known_spans):
    """Names after a title ("Foreign Minister Sergei Lavrov") that the gazetteer does not know."""
    found = []
    for match in _titled_names(text, start, end):
        a, b = match.span("name")
        if any(s < b and a < e for s, e in known_spans):
            continue
        name = match.group("name").rstrip(".")
        name = _POSSESSIVE.sub("", name)
        normalized = normalize_alias(name)
        if not normalized or normalized in gazetteer.aliases:
            continue
        key = f"new:{normalized}"
        found.append((Mention(a, a + len(name), key), CandidateActor(key, name, PERSON, "titled")))
    return found


# --- claims ------------------------------------------------------------------------------------


def _first_mention_after(mentions, pos, limit=40):
    return next((m for m in mentions if pos <= m.start <= pos + limit), None)


def _mentions_between(mentions, a, b):
    return [m for m in mentions if a <= m.start and m.end <= b]


def _unique(keys):
    return tuple(dict.fromkeys(k for k in keys if k is not None))


def _speaker(text, unit, mentions, last_person):
    """(claimant key, rule) if the sentence attributes what it says to someone."""
    a, sentence, words = unit.start, unit.text, unit.words
    by = _BY_SPEAKER.search(unit.lower) if ("by" in words or "according" in words) else None
    if by:
        who = _first_mention_after(mentions, a + by.end())
        if who:
            return who.actor, "attribution"
    verb = (_SAY_VERB.search(sentence) if words & _SAY_TRIGGER else None) or (
        _STANCE.search(sentence) if words & _STANCE_WORDS else None
    )
    if verb:
        before = [m for m in mentions if m.end <= a + verb.start()]
        if before:
            nearest = max(before, key=lambda m: (m.end, m.end - m.start))
            return nearest.actor, "attribution"
        if _PRONOUN_START.match(sentence) and last_person(a) is not None:
            return last_person(a), "attribution"
    if words & _MEDIA_TRIGGER and _STATE_MEDIA.search(unit.lower):
        media = [m for m in mentions if _STATE_MEDIA.search(text[m.start : m.end].lower())]
        if media:
            return media[0].actor, "attribution"
    return None, None


def _dispute(text, unit, mentions):
    a, b, words = unit.start, unit.end, unit.words
    match = _DISPUTE.search(text, a, b) if words & _DISPUTE_WORDS and "by" in words else None
    if not match:
        return None
    disputers = _unique(m.actor for m in _mentions_between(mentions, a, match.start()))
    tail = _CLAUSE_END.search(text, match.end(), b)
    claimants = _unique(
        m.actor for m in _mentions_between(mentions, match.end(), tail.start() if tail else b)
    )
    if not disputers or not claimants:
        return None
    support = (match.start("what"), b)
    return disputers, claimants, support


def _claim_kind(unit, attributed):
    if attributed:
        return "attributed_statement"
    if unit.words & _HEDGE_WORDS and _HEDGE.search(unit.lower):
        return "prediction"
    return "analysis" if _ANALYSIS.search(unit.lower) else "fact"


def _statement(text):
    text = " ".join(text.split())
    return text[0].upper() + text[1:] if text else text


def claim_for_sentence(text, unit, mentions, last_person):
    sentence, span = unit.text, (unit.start, unit.end)
    if sentence.endswith("?") or len(sentence.split()) < _MIN_WORDS:
        return None
    if unit.words & _SELF_WORDS and _SELF_REFERENCE.search(unit.lower):
        return None
    actors = _unique(m.actor for m in mentions)
    dispute = _dispute(text, unit, mentions)
    if dispute:
        disputers, claimants, support = dispute
        return ProposedClaim(
            statement=_statement(text[support[0] : support[1]]),
            kind="allegation",
            rule="dispute",
            sentence=span,
            support=support,
            claimant=claimants[0],
            subjects=tuple(k for k in actors if k not in claimants),
            support_actors=claimants,
            dispute=span,
            dispute_actors=disputers,
        )
    claimant, rule = _speaker(text, unit, mentions, last_person)
    kind = _claim_kind(unit, claimant is not None)
    if claimant is None:
        if not actors and kind != "prediction":
            return None
        rule = "prediction" if kind == "prediction" else "assertion"
    return ProposedClaim(
        statement=_statement(sentence),
        kind=kind,
        rule=rule,
        sentence=span,
        support=span,
        claimant=claimant,
        subjects=tuple(k for k in actors if k != claimant),
        support_actors=(claimant,) if claimant is not None else (),
    )


# --- events ------------------------------------------------------------------------------------


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


# --- the whole article -------------------------------------------------------------------------


def claim_units(segments):
    """Spans worth a claim: sentences, and paragraphs that are one sentence; never a repeat."""
    with_sentences = {s.parent for s in segments if s.kind == "sentence"}
    for i, seg in enumerate(segments):
        if seg.repeat_of is not None:
            continue
        if seg.kind == "sentence" or (seg.kind == "paragraph" and i not in with_sentences):
            yield seg.start, seg.end


def extract(text, gazetteer, segments=None):
    """Everything proposed for one article. `segments` defaults to segmentation.segments(text)."""
    segments = split_segments(text) if segments is None else segments
    result = Extraction()
    event_index = {}
    last_person = None
    for seg in segments:
        if seg.repeat_of is not None or seg.kind == "sentence":
            continue
        mentions = find_mentions(text, seg.start, seg.end, gazetteer)
        spans = [(m.start, m.end) for m in mentions]
        for mention, candidate in find_candidates(text, seg.start, seg.end, gazetteer, spans):
            mentions.append(mention)
            result.candidates.setdefault(candidate.key, candidate)
        mentions.sort(key=lambda m: (m.start, -m.end))
        result.mentions.extend(mentions)
    mentions = result.mentions
    # Only the actors named here: copying the gazetteer's kinds costs more on a large base.
    kinds = {m.actor: gazetteer.kinds.get(m.actor) for m in mentions}
    kinds.update({k: c.kind for k, c in result.candidates.items()})
    pos = 0
    for span in claim_units(segments):
        while pos < len(mentions) and mentions[pos].end <= span[0]:
            pos += 1
        here = []
        j = pos
        while j < len(mentions) and mentions[j].start < span[1]:
            here.append(mentions[j])
            j += 1

        def person_at(pos, here=here, before=last_person):
            people = [m.actor for m in here if m.end <= pos and kinds.get(m.actor) == PERSON]
            return people[-1] if people else before

        unit = Unit.read(text, *span)
        claim = claim_for_sentence(text, unit, here, person_at)
        for event in events_in_sentence(text, unit, here, person_at):
            key = (event.title, event.participants, event.start_year)
            if key not in event_index:
                event_index[key] = len(result.events)
                result.events.append(event)
            if claim is not None and claim.event is None:
                claim.event = event_index[key]
        if claim is not None:
            result.claims.append(claim)
        people = [m.actor for m in here if kinds.get(m.actor) == PERSON]
        if people:
            last_person = people[-1]
    return result
