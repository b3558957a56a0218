"""Stage 3: which names in one article are the same actor, and whom a pronoun means (pure).

- "Tony Blair" … "Mr Blair" … "Blair": one person (surname, with or without an honorific);
- "Confederation of British Industry (CBI)" … "the CBI": one body (an acronym in brackets
  after a name, or the initials of a name seen in the article);
- a name the gazetteer knows (any of its forms) is that actor: new forms merge into it;
- "he"/"she" → the person last spoken of (the speaker of the last quote first, else the
  subject of the latest sentence naming a person, never one of the other gender), "it" / "the
  company" / "the ministry" → the latest organisation (with that head word when it has one),
  "the prime minister" → the latest person with that title.
"""

import bisect
import re
from dataclasses import dataclass, field

from claims.ingest.mentions import (
    GOVERNMENT_BODY,
    HONORIFICS,
    MEDIA,
    ORGANIZATION,
    PEERAGE,
    PERSON,
    SINGLE,
    STATE,
)
from claims.ingest.states import state_names
from claims.text import normalize_alias, word_set

BODIES = (ORGANIZATION, GOVERNMENT_BODY, MEDIA)
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# Legal forms after a company's name: "American Express Co" is "American Express".
_LEGAL_FORMS = word_set(
    "inc co corp corporation ltd limited plc llc ag sa nv bv spa group holdings cos"
)


def core_name(name):
    """A body's name without its legal form: "Viacom International Inc" → "viacom international"."""
    words = normalize_alias(name).split(" ")
    while len(words) > 1 and words[-1] in _LEGAL_FORMS:
        words.pop()
    return " ".join(words)


@dataclass
class Entity:
    name: str
    kind: str
    rule: str
    forms: list = field(default_factory=list)  # surface forms, first seen first
    key: object = None  # a gazetteer key, or "new:<normalized name>"
    gender: str = ""
    title: str = ""
    known: bool = False  # the gazetteer knew one of its forms

    def add_form(self, form):
        if normalize_alias(form) and form not in self.forms:
            self.forms.append(form)

    @property
    def surname(self):
        return surname_of(self.name) if self.kind == PERSON else ""


@dataclass(frozen=True)
class Reference:
    """One mention of an entity in the text."""

    start: int
    end: int
    entity: int  # index into Article.entities


def surname_of(name):
    words = [w for w in normalize_alias(name).split(" ") if w not in _SUFFIXES]
    words = [w for w in words if w.capitalize() not in PEERAGE | HONORIFICS]
    return words[-1] if words else ""


def _state_prefixed(name):
    words = name.split(" ")
    return len(words) > 1 and normalize_alias(words[0]) in state_names()


def _untitled(key):
    return [w for w in key.split(" ") if w.capitalize() not in PEERAGE | HONORIFICS]


def abbreviates(short, long):
    """Is `short` an abbreviation of `long`? Its letters in order, the first one starting a
    word (Schwartz and Hearst's rule for abbreviation definitions)."""
    short, long = short.lower(), long.lower()
    if len(short) < 2 or len(long.split()) < 2 or short[0] != long[0]:
        return False
    li = len(long) - 1
    for si in range(len(short) - 1, -1, -1):
        c = short[si]
        if not c.isalnum():
            continue
        while li >= 0 and (long[li] != c or (si == 0 and li > 0 and long[li - 1].isalnum())):
            li -= 1
        if li < 0:
            return False
        li -= 1
    return True


class Entities:
    """The actors of one article, built name by name in text order."""

    def __init__(self, gazetteer):
        self.gazetteer = gazetteer
        self.entities = []
        self.references = []
        self._by_form = {}  # normalized form → entity index
        self._by_key = {}  # gazetteer key → entity index

    # --- building -------------------------------------------------------------------------

    def _new(self, name, kind, rule, gender="", title=""):
        self.entities.append(Entity(name, kind, rule, gender=gender, title=title))
        return len(self.entities) - 1

    def _remember(self, index, form):
        entity = self.entities[index]
        entity.add_form(form)
        key = normalize_alias(form)
        if key:
            self._by_form.setdefault(key, index)
            known = self.gazetteer.aliases.get(key) if entity.key is None else None
            if known is not None:
                entity.key, entity.known = known, True
                self._by_key.setdefault(known, index)

    def refer(self, name, index):
        self._remember(index, name.text)
        if name.name != name.text:
            self._remember(index, name.name)
        self.references.append(Reference(name.start, name.end, index))
        return index

    def _person_with_surname(self, surname):
        for i in range(len(self.entities) - 1, -1, -1):
            entity = self.entities[i]
            if entity.kind == PERSON and entity.surname == surname:
                return i
        return None

    def add(self, name):
        """File one Name (from mentions.find_names); returns its entity index or None."""
        key = normalize_alias(name.name)
        if name.kind == STATE and name.rule == "capital" and " " not in key:
            person = self._person_with_surname(key)  # "Paris" after "Valeska Paris"
            if person is not None:
                return self.refer(name, person)
        if name.kind == STATE:
            index = self._by_form.get(normalize_alias(name.state))
            if index is None:
                index = self._new(name.state, STATE, "state")
                self._remember(index, name.state)
            return self.refer(name, index)
        if name.kind in BODIES:
            index = self._by_form.get(key)
            if index is None:
                index = self._by_form.get(core_name(name.name))
            if index is None and name.rule == "acronym":
                index = self._expansion_of(name.text)
            if index is None and " " not in key:  # "the Bank" after "the World Bank"
                index = self._body_starting_with(key)
            if index is None and _state_prefixed(name.name):  # "US Senate" after "Senate"
                index = self._by_form.get(normalize_alias(name.name.split(" ", 1)[1]))
            if index is None and name.rule != "acronym":
                index = self._acronym_of(name.name)  # "BA" in the headline, then the name
            if index is None:
                index = self._new(name.name, name.kind, name.rule)
            self._remember_core(index, name.name)
            return self.refer(name, index)
        if name.kind == PERSON:
            return self.refer(name, self._person(name, key))
        if name.kind == SINGLE:
            index = self._by_form.get(key)
            if index is None:
                index = self._person_with_surname(key)
            if index is None:
                index = self._body_starting_with(key)
            if index is None:
                index = self._person_with_first_name(key)  # "Daniel" after "Daniel Montalvo"
            if index is None:
                index = self._body_in_plural(key)  # "Tory" after "the Tories"
            if index is not None:
                return self.refer(name, index)
        return None

    def _person(self, name, key):
        index = self._by_form.get(key)
        titled_person = name.rule == "titled" and self._person_with_surname(surname_of(name.name))
        if index is not None and self.entities[index].kind != PERSON and titled_person:
            index = None  # "Mr Howard" is the person Howard, not a body named Howard
        if index is not None:  # a name seen before, a person's or a body's ("National
            return index  # Amusements" after "National Amusements Inc")
        surname = surname_of(name.name)
        words = name.name.split()
        one_word = len([w for w in words if w not in PEERAGE]) == 1
        index = self._person_with_surname(surname) if surname else None
        if index is None and one_word and name.title:
            index = self._person_with_title_and_first_name(name.title, key)
            if index is not None:
                return index
        if index is None and not one_word:
            index = self._shorter_form_of(key)  # "Sheikh Abdul-Aziz", then his full name
            if index is not None:
                self.entities[index].name = name.name
                return index
        if index is not None:
            entity = self.entities[index]
            same_first = normalize_alias(entity.name).split(" ")[0] == key.split(" ")[0]
            if one_word or same_first or len(entity.name.split()) == 1:
                if not one_word and len(entity.name.split()) == 1:
                    entity.name = name.name  # "Mr Blair" first, "Tony Blair" later
                if name.gender and not entity.gender:
                    entity.gender = name.gender
                return index
        shown = name.text if one_word and name.title else name.name
        return self._new(shown, PERSON, name.rule, name.gender, name.title)

    def _remember_core(self, index, name):
        """ "Shearson Lehman Brothers Inc" is also "Shearson Lehman Brothers" and, when it
        is several words, its first word stands for it ("Shearson said")."""
        core = core_name(name)
        if core != normalize_alias(name):
            self._remember(index, " ".join(name.split()[: len(core.split(" "))]))
        if _state_prefixed(name):  # "US Senate" is also "Senate"
            self._by_form.setdefault(normalize_alias(name.split(" ", 1)[1]), index)

    def _body_starting_with(self, word):
        for i in range(len(self.entities) - 1, -1, -1):
            entity = self.entities[i]
            if entity.kind in BODIES and entity.rule != "acronym":
                words = core_name(entity.name).split(" ")
                if len(words) > 1 and word in (words[0], words[-1]) and len(word) > 3:
                    return i
        return None

    def _shorter_form_of(self, key):
        words = _untitled(key)
        for i in range(len(self.entities) - 1, -1, -1):
            entity = self.entities[i]
            known = _untitled(normalize_alias(entity.name))
            prefix = 1 <= len(known) < len(words) and words[: len(known)] == known
            if entity.kind == PERSON and prefix and (len(known) > 1 or entity.title):
                return i
        return None

    def _person_with_title_and_first_name(self, title, key):
        """ "Sheikh Ali" after "Sheikh Ali al-Khalifa al-Sabah": the title and first name."""
        first = _untitled(key)[:1]
        for i in range(len(self.entities) - 1, -1, -1):
            entity = self.entities[i]
            names = _untitled(normalize_alias(entity.name))
            if entity.kind == PERSON and entity.title == title and names[:1] == first:
                return i
        return None

    def _expansion_of(self, acronym):
        """The latest body or state whose name the acronym abbreviates ("NYMEX" → "New York
        Mercantile Exchange", "CERA" → "Cambridge Energy Research Associates"), or whose name
        contains it as a word ("TVX" → "Consolidated TVX Mining Corp")."""
        for i in range(len(self.entities) - 1, -1, -1):
            entity = self.entities[i]
            if entity.kind not in (*BODIES, STATE) or entity.rule == "acronym":
                continue
            for form in entity.forms or [entity.name]:
                if acronym in form.split() or abbreviates(acronym, form):
                    return i
        return None

    def _acronym_of(self, name):
        """An acronym entity seen before the name it abbreviates: it becomes that name's."""
        for i, entity in enumerate(self.entities):
            if (
                entity.kind in BODIES
                and entity.rule == "acronym"
                and abbreviates(entity.name, name)
            ):
                entity.name, entity.rule = name, "organisation"
                return i
        return None

    def _body_in_plural(self, word):
        plurals = {word + "s", word[:-1] + "ies" if word.endswith("y") else word + "s"}
        return next((self._by_form[p] for p in plurals if p in self._by_form), None)

    def _person_with_first_name(self, first):
        found = {
            i
            for i, e in enumerate(self.entities)
            if e.kind == PERSON
            and len(e.name.split()) > 1
            and _untitled(normalize_alias(e.name))[:1] == [first]
        }
        return found.pop() if len(found) == 1 else None

    def known(self, mention, kind, text):
        """A name the gazetteer knows (a Mention with its actor key): that actor's entity."""
        surface = text[mention.start : mention.end]
        index = self._by_key.get(mention.actor)
        if index is None:
            index = self._new(surface, kind or ORGANIZATION, "known")
            self.entities[index].key, self.entities[index].known = mention.actor, True
            self._by_key[mention.actor] = index
        self._remember(index, surface)
        self.references.append(Reference(mention.start, mention.end, index))
        return index

    def promote(self, name, kind):
        """An undecided name that turned out to be an actor (it speaks): its own entity."""
        index = self._by_form.get(normalize_alias(name.name))
        if index is None:
            index = self._new(name.name, kind, "speaker")
        return self.refer(name, index)

    def finish(self):
        """Give every entity its key: the gazetteer's, else a new one by its name."""
        for entity in self.entities:
            if entity.key is None:
                entity.key = f"new:{normalize_alias(entity.name)}"
        return self.entities


# --- pronouns and descriptions -------------------------------------------------------------

_PRONOUN = re.compile(r"(?i)^(?:he|she|him|her|his)$")
_IT = re.compile(r"(?i)^(?:it|its)$")
_DESCRIPTION = re.compile(
    r"(?i)^the\s+(?:[a-z-]+\s+){0,2}?(?P<noun>company|firm|group|bank|ministry|department|party|court|union|"
    r"agency|council|commission|committee|regulator|retailer|carrier|airline|insurer|lender|"
    r"broadcaster|newspaper|paper|organisation|organization|charity|watchdog|body|office|"
    r"police|force|board|government|report|inquiry|tribunal|institute|campaign|club|"
    r"university|business|manufacturer|maker|producer|operator|supermarket|chain|utility|"
    r"authors|researchers|study|survey|statement)$"
)
_HEADS_FOR = {
    "bank": ("bank",),
    "ministry": ("ministry",),
    "department": ("department",),
    "party": ("party",),
    "court": ("court", "tribunal"),
    "union": ("union",),
    "police": ("police", "constabulary"),
    "force": ("police", "constabulary", "force"),
    "council": ("council",),
    "commission": ("commission",),
    "committee": ("committee",),
    "report": ("report", "review", "inquiry", "survey", "study"),
    "authors": ("report", "review", "survey", "study"),
    "researchers": ("report", "review", "survey", "study"),
    "study": ("study", "report", "survey"),
    "survey": ("survey", "study", "report"),
    "inquiry": ("inquiry",),
    "office": ("office",),
    "government": ("government",),
}


def antecedent(phrase, pos, entities, references, speakers, sentence_starts):
    """The entity index `phrase` ("he", "the company", "the chancellor") stands for at `pos`.

    `speakers` is [(position, entity index)] of speakers attributed so far, in text order;
    `sentence_starts` the sorted starts of the article's sentences.
    """
    phrase = " ".join(phrase.split())
    lower = phrase.lower()
    before = [r for r in references if r.end <= pos]
    if _PRONOUN.match(phrase):
        gender = "f" if lower in ("she", "her") else "m"
        return _person_before(pos, gender, entities, before, speakers, sentence_starts)
    if _IT.match(phrase):  # the body that spoke last, else the last one named
        last = next((index for at, index in reversed(speakers) if at < pos), None)
        if last is not None and entities[last].kind == "state":
            return last  # "The Greek statement said … "…," it said": the state, again
        return _body_speaker(pos, entities, speakers) or _latest(
            before, entities, lambda e: e.kind in BODIES
        )
    description = _DESCRIPTION.match(phrase)
    if description:
        heads = _HEADS_FOR.get(description.group("noun").lower())
        if heads:
            found = _latest(
                before,
                entities,
                lambda e: e.kind in BODIES and any(h in e.name.lower().split() for h in heads),
            )
            if found is not None or description.group("noun").lower() in _STRICT_NOUNS:
                return found  # "the report" with no report named: nobody
        # No head word to match: the body that spoke last, else the last one named.
        return _body_speaker(pos, entities, speakers) or _latest(
            before, entities, lambda e: e.kind in BODIES
        )
    if lower.startswith("the "):
        role = lower[4:]
        found = _latest(
            before, entities, lambda e: e.kind == PERSON and role in e.title.lower().split(" ")
        )
        if found is not None:
            return found
        # A role the article gave no name ("Kuwait's Oil Minister … the minister said"):
        # the person last spoken of.
        if role in _PERSON_ROLES or role.split(" ")[-1] in _PARTY_MEMBERS:
            # "the Kansas Republican, a likely presidential candidate, said": the person.
            return _person_before(pos, "", entities, before, speakers, sentence_starts)
    return None


_PERSON_ROLES = word_set(
    "minister secretary chancellor president premier leader chairman chairwoman judge "
    "spokesman spokeswoman governor mayor executive official envoy ambassador"
)


_PARTY_MEMBERS = word_set("republican democrat conservative tory socialist communist liberal")


# Descriptions that only a body with that head word can be ("the report" is no company).
_STRICT_NOUNS = word_set("government report inquiry authors researchers study survey statement")


def _body_speaker(pos, entities, speakers):
    for at, index in reversed(speakers):
        if at < pos and entities[index].kind in BODIES:
            return index
    return None


def _latest(before, entities, wanted):
    for ref in reversed(before):
        if wanted(entities[ref.entity]):
            return ref.entity
    return None


def _compatible(entity, gender):
    return entity.kind == PERSON and (not gender or entity.gender in ("", gender))


def _person_before(pos, gender, entities, before, speakers, sentence_starts):
    """The speaker of the latest quote, unless a person named since in this sentence or the
    previous one is more recent; else the subject of the latest sentence naming a person."""
    here = bisect.bisect_right(sentence_starts, pos) - 1
    recent_from = sentence_starts[max(0, here - 1)] if sentence_starts and here >= 0 else 0
    speaker = next(
        (i for at, i in reversed(speakers) if at < pos and _compatible(entities[i], gender)),
        None,
    )
    people = [r for r in before if _compatible(entities[r.entity], gender)]
    if not people:
        return speaker
    latest = people[-1]
    if latest.start >= (sentence_starts[here] if sentence_starts and here >= 0 else 0):
        return latest.entity  # a person named earlier in the same sentence
    if speaker is not None and not any(r.start >= recent_from for r in people):
        return speaker
    if speaker is not None and any(r.entity == speaker for r in people if r.start >= recent_from):
        return speaker
    # The subject (first person named) of the latest sentence that names one.
    at = bisect.bisect_right(sentence_starts, latest.start) - 1
    start_of = sentence_starts[at] if at >= 0 else 0
    return next((r.entity for r in people if r.start >= start_of), latest.entity)
