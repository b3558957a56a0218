"""Stage 4: who says what — quotes and reported speech paired with their speaker (pure).

- A quote is the text between quotation marks; it may run over several sentences, and a quote
  left open at a paragraph's end goes on in the next paragraph that opens with a quotation
  mark. Quote pieces of one paragraph split by a speaker tag (`"…," he said. "…"`) are one
  claim whose passage covers them all.
- The speaker is in a tag after the quote (`"…," he said`, `said Mr Blair`, `the company said
  in a statement`) or before it (`Mr Blair told the BBC: "…"`); a quote with no tag that opens
  a paragraph goes on with the previous paragraph's speaker.
- Reported speech: a speech verb (said, argued, warned, insisted, called on, described … as,
  found, ruled…) whose grammatical subject is an actor, "according to X", "X's spokesman said".
- The subject is the noun phrase right before the verb, not the nearest name: appositives and
  relative clauses between commas are skipped ("Michael Howard, the Tory leader, said"), a name
  in apposition to a role is taken ("The head of the CBI, Digby Jones, said"), names inside
  quotes are never speakers, and a pronoun or "the company" goes to coreference.
"""

import re
from dataclasses import dataclass

from claims.ingest.coreference import BODIES, antecedent
from claims.ingest.mentions import PERSON
from claims.ingest.states import demonyms
from claims.text import normalize_alias, word_set

SPEECH_VERBS = word_set(
    "said says say told tells tell added adds argued argues argue warned warns warn insisted "
    "insists insist claimed claims claim stated states declared declares announced announces "
    "explained explains noted notes stressed stresses emphasised emphasized emphasises "
    "emphasizes acknowledged acknowledges admitted admits confirmed confirms denied denies deny "
    "rejected rejects reject accused accuses alleged alleges criticised criticized criticises "
    "criticizes condemned condemns praised praises welcomed welcomes urged urges suggested "
    "suggests predicted predicts forecast forecasts estimated estimates believes believed "
    "thinks thought hopes hoped fears feared promised promises pledged pledges vowed vows "
    "threatened threatens dismissed dismisses questioned questions replied replies responded "
    "responds countered counters retorted conceded concedes complained complains maintained "
    "maintains revealed reveals reported reports found finds ruled rules concluded concludes "
    "recommended recommends blamed blames wrote writes tweeted posted testified informed "
    "assured reiterated reiterates repeated repeats disclosed signalled signaled indicated "
    "indicates described describes called calls asked asks agreed agrees demanded demands "
    "refused refuses refuted refutes disputed disputes contested contests rebuffed insisting "
    "saying adding arguing warning claiming telling accusing describing calling urging "
    "cautioned cautions observed commented comments remarked announced proposed proposes "
    "advised advises objected objects protested protests acknowledged predicted expects "
    "expected reaffirmed reaffirms calculated calculates projected projects reckons reckoned "
    "asserted asserts assert dubbed"
    "announced lamented hailed backed defended defends attacked attacks branded "
    "labelled labeled slammed criticised rebutted contradicted contradicts refute dispute "
    "contest rebut dismiss expressed expresses express"
)
# Verbs that may come before their subject ("…," said Mr Blair); "told the police" has its
# object there instead.
INVERTING_VERBS = word_set(
    "said says added adds asked wrote writes explained continued insisted argued warned "
    "claimed noted replied recalled conceded declared stated admitted observed remarked "
    "commented cautioned countered retorted"
)
# Verbs of plain reporting: articles full of them report what people say (news), rather than
# argue in their own voice.
REPORTING_VERBS = word_set(
    "said says told tells added according stated explained warned argued insisted claimed "
    "denied announced replied wrote testified confirmed"
)
# Words that are nouns as often as verbs: a verb only right after their subject, before
# "that", a colon, a quote or "to" (checked by the subject rule and _VERB_FOLLOW).
_NOUN_LIKE = word_set(
    "claims states notes reports finds rules questions calls comments attacks counters "
    "protests objects demands estimates forecasts fears hopes promises pledges threatens"
)
DENY_VERBS = word_set(
    "denied denies deny rejected rejects reject dismissed dismisses refuted refutes disputed "
    "disputes contested contests rebuffed rebutted contradicted contradicts countered"
)
ACCUSE_VERBS = word_set("accused accuses alleged alleges claimed claims claim accusing claiming")

# Verbs that speak only in the active voice ("he expected", not "he is expected to").
_PASSIVE_ONLY = word_set("expected denied rejected dismissed accused refused")
_PASSIVE_BEFORE = re.compile(
    r"(?i)\b(?:is|are|was|were|be|been|being)\s+(?:(?:\w+ly|twice|also|not|never)\s+)?$"
)
_QUOTES = {"“": "open", "”": "close", '"': "toggle", "‘": "open1", "’": "close1"}
_WORD = re.compile(r"[A-Za-z][\w'’-]*")
# Between a subject and its verb: auxiliaries, adverbs, time phrases.
_SKIP_BEFORE_VERB = re.compile(
    r"(?:\s*\b(?:has|have|had|was|were|is|are|also|later|previously|repeatedly|then|"
    r"yesterday|today|tonight|earlier|recently|publicly|privately|once|again|himself|herself|"
    r"itself|themselves|now|already|still|quickly|firmly|flatly|strongly|angrily|simply|"
    r"only|last\s+(?:week|month|year|night)|this\s+(?:week|month|year|morning)|"
    r"on\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"in\s+a\s+statement|in\s+an\s+interview|in\s+the\s+past)\b\s*)+$",
    re.I,
)
_STAFF_END = re.compile(
    r"(?i)\b(company|bank|ministry|government|party|group|firm|court|police)\s+"
    r"(?:officials?|spokes(?:man|woman|person)|sources?|executives?|lawyers?)\s*$"
)
_DOCUMENT = re.compile(r"(?i)\b(?:report|study|survey|review|authors|researchers|statement)\b")
# After a person's name, up to the last name of the body they belong to: an optional title,
# "of", then only the capitalized words of the body's name.
_OF_BODY = re.compile(
    r"(?:,\s+(?:[A-Z][a-z]+\s+){1,3})?\s*(?:of|at|from)\s+(?:the\s+)?"
    r"(?:(?:[A-Z][\w&.'’-]*|of|and|&|for|the)\s+)*"
)
# A sentence that opens with the speaker again tells what they did, not what they said.
_NARRATES = re.compile(
    r"[\s\"“‘]*(?:He|She|They|It|The\s+(?:company|firm|group|bank|ministry|government|"
    r"union|agency))\s+(?:also\s+)?(?:did\s+not|declined|remained|agreed|met|left)\b"
)
_REPORT_AFTER = re.compile(r"(?:['’]s?)?\s+(?:report|study|survey|review|findings)\b")
_ROLE_THEN_NAME = re.compile(r"(?:the|its|their|his|her)\s+[^,.;:\"“”]{1,60}?,\s+")
_PRONOUN_END = re.compile(r"(?i)\b(he|she|it)\s*$")
_DESCRIPTION_END = re.compile(
    r"(?i)\b(the\s+(?:[a-z]+\s+){0,3}?(?:company|firm|group|bank|ministry|department|party|"
    r"court|union|agency|council|commission|committee|regulator|retailer|airline|insurer|"
    r"lender|broadcaster|newspaper|organisation|organization|charity|watchdog|body|office|"
    r"police|force|board|government|report|inquiry|tribunal|institute|campaign|club|"
    r"university|business|manufacturer|maker|operator|supermarket|chain|authors|researchers|"
    r"study|survey|statement|"
    r"prime\s+minister|chancellor|president|minister|secretary|premier|leader|chairman|"
    r"chief\s+executive|judge|spokesman|spokeswoman|governor|mayor|republican|democrat))\s*$"
)
_ROLE_NOUN_END = re.compile(
    r"(?:(?:['’]s?\s+(?:[a-z]+\s+){0,2}|\s+)(?:ministry|government|embassy|army|military|"
    r"office|department|police|cabinet|administration|authorities)|"
    r"(?i:(?:['’]s?\s+|\s+)(?:(?:chief|senior|former|official|deputy|own)\s+)?"
    r"(?:spokes(?:man|woman|person)|official|officials|source|sources|statement|aide|aides|"
    r"representative|lawyer|lawyers|adviser|advisers|report|study|survey|analysis|review|"
    r"ruling|judgment|judgement|letter|memo|document|website|blog)))\s*$"
)
_CLAUSE_SPLIT = re.compile(r";\s+|,\s+(?=(?:while|whereas|but)\s)")
_BARE_SPOKESPERSON = re.compile(
    r"(?i)\s*(?:but\s+|and\s+)?(?:a|an|the|its|their)\s+(?:(?:senior|official|party|company|"
    r"government)\s+)?spokes(?:man|woman|person)\s*"
)
_PREPOSITION_END = re.compile(
    r"(?i)\b(?:of|for|at|from|with|by|in|to|on|against|about)\s+(?:the\s+)?$"
)
_ROLE_BEFORE_PREP = re.compile(
    r"(?i)\b(?:spokes(?:man|woman|person)|official|officials|source|representative|report|"
    r"statement|study|survey|review|ruling|judgment|letter|lawyer|lawyers)\s+"
    r"(?:(?:issued|released|published|made|commissioned)\s+)?(?:of|for|by|from)\s+(?:the\s+)?$"
)
_ACCORDING = re.compile(r"(?i)\baccording\s+to\s+")
_QUOTING = re.compile(r"(?i)\bquoting\s+")
_BY_AGENT = re.compile(
    r"(?i)\b(?:described|called|characteri[sz]ed|published|reported|announced|stated|aired|"
    r"broadcast|claimed|quoted|branded|labelled|labeled|condemned|criticised|criticized)"
    r"\s+(?:\w+\s+)?by\s+"
)
_STANCE = re.compile(
    r"(?i)\b(?:is|are|was|were|remains?)\s+(?:\w+\s+)?(?:wary|concerned|worried|alarmed|"
    r"confident|optimistic|skeptical|sceptical)\b|\bha(?:s|ve|d)\s+(?:\w+\s+)?concerns?\b"
)
# An unnamed speaker: the verb after it reports someone the article does not name.
_VAGUE_SUBJECT = re.compile(
    r"(?i)\b(?:strategists?|analysts?|sources?|officials?|diplomats?|bankers?|traders?|"
    r"economists?|experts?|observers?|critics?|insiders?|witnesses|dealers?|brokers?|"
    r"residents?|businessmen|delegates?)\s+(?:\w+\s+){0,2}$"
)
_QUOTES_AS = re.compile(r"\bquot(?:ed|es|ing)\s+(?P<who>[^,.;:\"“”]{2,60}?)\s+as\s*$")
_QUOTED_AS = re.compile(r"\s+(?:was|were|is|are|has\s+been)\s+quoted\b.*\bas\s*$")
_APPOSITION_COMMA = re.compile(r",(?!\d)")
_BRACKET_END = re.compile(r"\s*\([^()]{1,40}\)\s*$")
_SUBJECT_BEFORE = re.compile(r"(?:\b(?:he|she|it|they)|\b[A-Z][\w'’.-]*)\s+$")
_VERB_FOLLOW = re.compile(r"\s*(?:that\b|[:\"“‘,]|to\b)")


@dataclass
class Attribution:
    span: tuple  # (start, end): the passage said
    unit: tuple  # (start, end): the sentence (or paragraph) it starts in
    speaker: int  # entity index
    rule: str
    confidence: float
    verb: str = ""  # the speech verb, lowercase ("" for a bare quote)
    others: tuple = ()  # co-speakers ("Russia and North Korea said")


@dataclass(frozen=True)
class Quote:
    start: int  # the opening mark
    end: int  # just past the closing mark (or the paragraph's end when left open)
    closed: bool

    @property
    def inner(self):
        return (self.start + 1, self.end - 1 if self.closed else self.end)


def find_quotes(text, start, end):
    """Quotations in a paragraph: curly or straight double quotes, curly single quotes that
    are not apostrophes."""
    found, opened, kind = [], None, None
    for i in range(start, end):
        ch = text[i]
        role = _QUOTES.get(ch)
        if role is None:
            continue
        if role in ("open1", "close1"):
            before = text[i - 1] if i > start else " "
            after = text[i + 1] if i + 1 < end else " "
            if role == "open1" and opened is None and not before.isalnum():
                opened, kind = i, "single"
            elif (
                role == "close1"
                and opened is not None
                and kind == "single"
                and not (
                    after.isalnum()  # "don’t", "Blair’s": an apostrophe
                )
            ):
                found.append(Quote(opened, i + 1, True))
                opened = None
            continue
        if opened is None and role in ("open", "toggle"):
            opened, kind = i, "double"
        elif opened is not None and kind == "double" and role in ("close", "toggle"):
            found.append(Quote(opened, i + 1, True))
            opened = None
    if opened is not None and kind == "double" and end - opened > 1:
        found.append(Quote(opened, end, False))
    return found


def _is_full(text, quote, sentence_start):
    """A quotation of what someone said, not a phrase in quotes ("a 'friendly' visit")."""
    a, b = quote.inner
    inner = text[a:b].strip()
    words = len(inner.split())
    if words >= 6 or not quote.closed:
        return True
    ends = inner[-1:] in ".,!?…" if inner else False
    lead = text[sentence_start : quote.start].strip()
    # Two or three words inside a sentence ("branded the budget "shamelessly political."")
    # are a phrase it quotes.
    return ends and (words >= 4 or not lead or lead.endswith((":", ",")))


class Speakers:
    """Finds the speaker of a verb or quote tag; remembers speakers for pronouns."""

    def __init__(self, text, entities, references, sentence_starts):
        self.text = text
        self.entities = entities
        self.references = references
        self.sentence_starts = sentence_starts
        self.said = []  # (position, entity index) of every attribution so far
        self.quoted = []  # spans of the quotes read so far: names there are no antecedents
        self.documents = []  # owners of the reports and studies that spoke so far

    def refs_in(self, a, b):
        return [r for r in self.references if a <= r.start and r.end <= b]

    def resolve(self, phrase, pos):
        national = re.match(r"(?i)the\s+([a-z]+)\s+(?:[a-z]+\s+)?[a-z]+$", phrase.strip())
        state = demonyms().get(normalize_alias(national.group(1))) if national else None
        if state:  # "the Greek statement", "the Turkish side": that country
            for i, entity in enumerate(self.entities):
                if entity.kind == "state" and entity.name == state:
                    return i
        references = [
            r for r in self.references if not any(a <= r.start < b for a, b in self.quoted)
        ]
        found = antecedent(phrase, pos, self.entities, references, self.said, self.sentence_starts)
        if found is None and self.documents and _DOCUMENT.search(phrase):
            return self.documents[-1]  # "The report says" after "the U.S. Embassy report"
        if found is None and _DOCUMENT.search(phrase):
            # "… the release of the Tower Commission report. … the report said": the body
            # whose report the article named last.
            for ref in reversed([r for r in references if r.end <= pos]):
                if _REPORT_AFTER.match(self.text, ref.end):
                    return ref.entity
        return found

    def ref_ending_at(self, a, b):
        """The reference that ends text[a:b] (a possessive allowed after it)."""
        tail = self.text[a:b].rstrip()
        tail = re.sub(r"['’]s?$", "", tail)
        stop = a + len(tail)
        for ref in reversed(self.refs_in(a, b)):
            if ref.end == stop:
                return ref
        return None

    def subject_before(self, clause_start, verb_start, masked):
        """(entity index, confidence) of the verb's subject, or (None, 0)."""
        text = self.text
        seg_end = verb_start
        skip = _SKIP_BEFORE_VERB.search(text, clause_start, seg_end)
        if skip and skip.start() > clause_start:
            seg_end = skip.start()
        quoting = _QUOTES_AS.search(text, clause_start, seg_end)
        if quoting:  # "PAP quoted Baka as saying": Baka says it
            ref = self.ref_ending_at(quoting.start("who"), quoting.end("who"))
            if ref is not None:
                return ref.entity, 0.8
        quoted = _QUOTED_AS.search(text, clause_start, seg_end)
        if quoted:  # "Sheikh Ali was quoted by the daily al-Qabas as saying"
            seg_end = quoted.start()
        bracket = _BRACKET_END.search(text, clause_start, seg_end)
        if bracket:  # "The Confederation of British Industry (CBI) warned"
            seg_end = bracket.start()
        seg = text[clause_start:seg_end]
        if any(a <= clause_start and seg_end <= b for a, b in masked):
            return None, 0.0  # inside a quote: names there never speak it
        if seg.rstrip().endswith(","):
            close = clause_start + len(seg.rstrip()) - 1
            # The comma opening the apposition (not one inside "150,000").
            opening = [m.start() for m in _APPOSITION_COMMA.finditer(text, clause_start, close)]
            if not opening:  # "The firm Secunia.com, has said": a stray comma
                return self.subject_before(clause_start, close, masked)
            open_ = opening[-1]
            inner = self.refs_in(open_ + 1, close)
            inner_text = text[open_ + 1 : close].strip()
            named = len(inner) == 1 and len(inner_text) - (inner[0].end - inner[0].start) <= 2
            head_named = self.ref_ending_at(clause_start, open_) is not None
            if named and (self.entities[inner[0].entity].kind == PERSON or not head_named):
                # "The head of the CBI, Digby Jones, said"; "The biggest union, Amicus, said"
                return inner[0].entity, 0.8
            return self.subject_before(clause_start, open_, masked)
        ref = self.ref_ending_at(clause_start, seg_end)
        if ref is not None:
            person = self._person_of_body(clause_start, ref.start)
            if person is not None:
                return person, 0.8  # "Analyst Rosemarie Morbelli of Ingalls and Snyder said"
            head = text[clause_start : ref.start]
            if _PREPOSITION_END.search(head) and not _ROLE_BEFORE_PREP.search(head):
                owner = self.ref_ending_at(clause_start, _PREPOSITION_END.search(head).start())
                if owner is not None and self.entities[owner.entity].kind == PERSON:
                    return owner.entity, 0.8  # "Ms Jones of the Bank of England said"
                comma = [m.start() for m in _APPOSITION_COMMA.finditer(head)]
                if owner is None and comma:
                    # "Professor Cres Eastman, Director of the study, says": the name before
                    # the role in apposition.
                    return self.subject_before(clause_start, clause_start + comma[-1], masked)
                if owner is None and not re.search(r"[A-Za-z]", head[:-4]):
                    return ref.entity, 0.6
                return None, 0.0
            role = _ROLE_BEFORE_PREP.search(head)
            if role and _DOCUMENT.search(role.group()):
                self.documents.append(ref.entity)  # "A report by the NAO found"
            return ref.entity, 0.75 if role else 0.85
        pronoun = _PRONOUN_END.search(seg)
        if pronoun:
            found = self.resolve(pronoun.group(1), clause_start + pronoun.start(1))
            return found, 0.7 if found is not None else 0.0
        role = _ROLE_NOUN_END.search(seg)
        if role:  # "a Downing Street spokesman", "Mr Blair's spokesman"
            owner = self.ref_ending_at(clause_start, clause_start + role.start())
            if owner is not None:
                if _DOCUMENT.search(role.group()):
                    self.documents.append(owner.entity)  # whose report "the report" is
                return owner.entity, 0.7
            desc = _DESCRIPTION_END.search(seg[: role.start()] + " ")
            if desc:
                found = self.resolve(desc.group(1), clause_start + desc.start(1))
                return found, 0.6 if found is not None else 0.0
            if _BARE_SPOKESPERSON.fullmatch(seg):
                # "A spokesman said": a spokesman of the body that spoke last.
                found = self.resolve("the body", clause_start)
                return found, 0.55 if found is not None else 0.0
        desc = _DESCRIPTION_END.search(seg)
        if desc:
            named = self.refs_in(clause_start + desc.start(1), seg_end)
            if len(named) == 1:  # "The GMB union said": the union is the GMB
                return named[0].entity, 0.75
            found = self.resolve(desc.group(1), clause_start + desc.start(1))
            return found, 0.65 if found is not None else 0.0
        staff = _STAFF_END.search(seg)
        if staff:  # "company officials said"
            found = self.resolve(f"the {staff.group(1)}", clause_start + staff.start(1))
            return found, 0.6 if found is not None else 0.0
        return None, 0.0

    def _person_of_body(self, a, b):
        """The person in "Nalin Vissanji, President of the Indian Merchants Chambers of …" or
        "Rosemarie Morbelli of Ingalls and …" (text[a:b] the words before the body's last
        name), else None."""
        for ref in self.refs_in(a, b):
            if self.entities[ref.entity].kind != PERSON:
                continue
            rest = self.text[ref.end : b]
            if _OF_BODY.fullmatch(rest):
                return ref.entity
        return None

    def subject_at_start(self, a, b):
        """The subject a sentence opens with ("The company did not…, but said"), or None."""
        lead = re.match(r"[\s\"“‘]*", self.text[a:b]).end()
        for ref in self.refs_in(a, b):
            if ref.start - a - lead <= 4:
                return ref.entity
            break
        desc = re.match(r"(?i)(the\s+[a-z]+)\b", self.text[a + lead : b])
        if desc:
            return self.resolve(desc.group(1), a + lead)
        pronoun = re.match(r"(?i)(he|she|it|they)\b", self.text[a + lead : b])
        return self.resolve(pronoun.group(1), a + lead) if pronoun else None

    def subject_after(self, verb_end, limit):
        """ "said Mr Blair", "said the company": the subject right after an inverted verb."""
        text = self.text
        gap = re.match(r"\s+", text[verb_end:limit])
        at = verb_end + (gap.end() if gap else 0)
        refs = self.refs_in(at, limit)
        for ref in refs:
            if ref.start - at <= 4 and not re.search(r"[,.;:]", text[at : ref.start]):
                return ref.entity, 0.85
            break
        named = _ROLE_THEN_NAME.match(text, at, limit)
        if named:  # "said the union's national secretary, Brendan Gold"
            person = next((r for r in refs if r.start == named.end()), None)
            if person is not None and self.entities[person.entity].kind == PERSON:
                return person.entity, 0.8
        desc = re.match(
            r"(?i)(the\s+(?:[a-z]+\s+){0,2}?[a-z]+)\b", text[at:limit]
        )  # "said the company"
        if desc:
            found = self.resolve(desc.group(1), at)
            if found is not None:
                return found, 0.65
        pronoun = re.match(r"(?i)(he|she)\b", text[at:limit])
        if pronoun:
            found = self.resolve(pronoun.group(1), at)
            return found, 0.7 if found is not None else 0.0
        return None, 0.0

    def according_to(self, start, end):
        """Who "according to …" names: the person in the noun phrase ("Afghan Ambassador to
        the United States Hamdullah Mohib"), else its first name, else a name in apposition
        to it ("the team's coach, Alireza Mehraban,")."""
        comma = self.text.find(",", start, end)
        stop = comma if comma != -1 else end
        refs = self.refs_in(start, stop)
        people = [r for r in refs if self.entities[r.entity].kind == PERSON]
        if people:
            return people[-1].entity
        if refs and refs[0].start - start <= 4:
            return refs[0].entity
        if comma != -1:
            after = self.refs_in(comma, end)
            if after and after[0].start - comma <= 3:
                return after[0].entity
        return None

    def joint_subject(self, clause_start, verb_start, speaker):
        """ "Russia and North Korea said": (first, others) when the subject joins names with
        "and", else (speaker, ())."""
        seg = self.text[clause_start:verb_start]
        refs = self.refs_in(clause_start, verb_start)
        if len(refs) < 2 or " and " not in seg or refs[-1].entity != speaker:
            return speaker, ()
        between = self.text[refs[0].end : refs[-1].start]
        if len(between) < 60 and re.fullmatch(r"(?:\s*(?:,|and|&)\s*(?:the\s+)?)+", between):
            joined = tuple(dict.fromkeys(r.entity for r in refs))
            return joined[0], joined[1:]
        return speaker, ()


def _verbs(text, a, b, masked):
    """Speech verbs in text[a:b] outside quotes, as (start, end, lowercase word)."""
    for match in _WORD.finditer(text, a, b):
        word = match.group().lower()
        if word == "pointed" and re.match(r"\s+out\b", text[match.end() : match.end() + 5]):
            yield match.start(), match.end(), word  # "The spokesman pointed out that…"
            continue
        if word not in SPEECH_VERBS and word not in ("according",):
            continue
        if match.group()[0].isupper() and text[a : match.start()].strip(' "“‘([,'):
            continue  # "the United States": a capital inside the sentence is a name
        if any(s <= match.start() < e for s, e in masked):
            continue
        if word in _NOUN_LIKE and not (
            _VERB_FOLLOW.match(text, match.end()) or _SUBJECT_BEFORE.search(text, a, match.start())
        ):
            continue  # "the claims" is a noun; "Paris claims she…" a verb
        if word in _PASSIVE_ONLY and _PASSIVE_BEFORE.search(
            text, max(a, match.start() - 16), match.start()
        ):
            continue  # "Putin is expected to travel", "they were twice denied visas"
        yield match.start(), match.end(), word


def _clause_start(text, sentence_start, verb_start, masked):
    """Where the clause of a verb starts: the sentence, or after a quote, ";" or ", but"."""
    start = sentence_start
    for _, b in masked:
        if start < b <= verb_start:
            start = b
    for match in re.finditer(r";|\bbut\b|\bwhile\b|\bwhereas\b", text[start:verb_start]):
        start = max(start, start + match.end())
    return start


def attribute(text, paragraphs, speakers):
    """Attributions in the article, in text order.

    `paragraphs` is [(start, end, [(sentence start, end)…])] of the article's paragraphs,
    repeats left out.
    """
    found = []
    last_quote_speaker = None  # (entity index) of the last paragraph's quote, for run-ons
    last_quote_open = False  # did the last paragraph end inside its quote?
    for p_start, p_end, sentences in paragraphs:
        quotes = find_quotes(text, p_start, p_end)
        sentence_of = _sentence_finder(sentences or [(p_start, p_end)])
        full = [q for q in quotes if _is_full(text, q, sentence_of(q.start)[0])]
        masked = [(q.start, q.end) for q in full]
        speakers.quoted += masked
        paragraph_claims = []
        starts_with_quote = bool(full) and text[p_start : full[0].start].strip() == ""
        # The quote of the paragraph before goes on here: the same claim ("…," he said.¶
        # "…" — or a quotation left open at the paragraph's end).
        run_on = (
            found[-1]
            if starts_with_quote
            and last_quote_speaker is not None
            and found
            and found[-1].rule.startswith("quote")
            and found[-1].speaker == last_quote_speaker
            else None
        )
        current = None  # the claim the last quote of this paragraph went to
        previous = None
        for n, quote in enumerate(full):
            if n == 0 and run_on is not None and last_quote_open:
                speaker, confidence, verb = last_quote_speaker, run_on.confidence, run_on.verb
                rule, start = run_on.rule, quote.start
            else:
                speaker, confidence, verb, start = _quote_speaker(
                    text, quote, sentence_of, masked, speakers, p_end
                )
                rule = "quote"
            if speaker is None and previous is not None:
                speaker, confidence, verb = previous[0], 0.7, previous[2]
                rule = "quote"
            if speaker is None and starts_with_quote and last_quote_speaker is not None:
                speaker, confidence, rule = last_quote_speaker, 0.6, "quote-continued"
            if speaker is None:
                continue
            unit = sentence_of(quote.start)
            if previous is not None and previous[0] == speaker:
                claim = current
                claim.span = (claim.span[0], max(claim.span[1], quote.end))
            elif (
                n == 0
                and run_on is not None
                and speaker == run_on.speaker
                and (rule == "quote-continued" or last_quote_open)
            ):
                claim = run_on  # one claim over both paragraphs
                claim.span = (claim.span[0], max(claim.span[1], quote.end))
            else:
                claim = Attribution((start, quote.end), unit, speaker, rule, confidence, verb)
                paragraph_claims.append(claim)
            current = claim
            speakers.said.append((quote.start, speaker))
            previous = (speaker, confidence, verb)
        quoted_units = set()
        for claim in paragraph_claims + ([run_on] if run_on is not None else []):
            for s in sentences or [(p_start, p_end)]:
                if s[0] < claim.span[1] and claim.span[0] < s[1]:
                    quoted_units.add(s)
        previous = None  # the attribution of the sentence before, in this paragraph
        for sentence in sentences or [(p_start, p_end)]:
            if sentence in quoted_units:
                previous = next(
                    (c for c in paragraph_claims if c.span[0] < sentence[1] <= c.span[1] + 1),
                    previous,
                )
                continue
            reported = _reported(text, sentence, masked, speakers)
            if not reported and previous is not None and _goes_on(text, sentence, speakers):
                # Reported speech goes on in the next sentence of the paragraph ("The report
                # says growth was zero. This is the lowest rate since the mid-1960s.").
                reported = [
                    Attribution(sentence, sentence, previous.speaker, "reported-continued", 0.5)
                ]
            for claim in reported:
                paragraph_claims.append(claim)
                speakers.said.append((claim.span[0], claim.speaker))
            previous = reported[-1] if reported else None
        paragraph_claims.sort(key=lambda c: c.span)
        found += paragraph_claims
        quoted = [c for c in paragraph_claims if c.rule.startswith("quote")]
        if full and current is not None and (not quoted or current.span >= quoted[-1].span):
            quoted.append(current)
        if full and quoted:
            last_quote_speaker = quoted[-1].speaker
            last_quote_open = not full[-1].closed
        else:
            last_quote_speaker, last_quote_open = None, False
    return found


def _goes_on(text, sentence, speakers):
    """May this sentence continue the previous one's reported speech? Not when it opens with
    an actor of its own (then it is about them, or theirs), asks, or is very short."""
    a, b = sentence
    if text[b - 1 : b] == "?" or len(text[a:b].split()) < 6:
        return False
    if _NARRATES.match(text, a, b):
        return False  # "The company did not give figures", "He also met …": about them
    refs = speakers.refs_in(a, b)
    lead = len(text[a:b]) - len(text[a:b].lstrip(' "“‘'))
    return not refs or refs[0].start - a - lead > 12  # no actor as its subject


def _sentence_finder(sentences):
    def sentence_of(pos):
        for s in sentences:
            if s[0] <= pos < s[1]:
                return s
        return sentences[-1]

    return sentence_of


def _quote_speaker(text, quote, sentence_of, masked, speakers, p_end):
    """(speaker, confidence, verb) from the tag after or before a quote."""
    # After: up to the next quote or the end of the sentence the tag is in.
    nxt = min((a for a, _ in masked if a >= quote.end), default=p_end)
    tail_end = nxt
    stop = re.search(r"[.!?](?:\s|$)", text[quote.end : nxt])
    if stop:
        tail_end = quote.end + stop.end()
    for v_start, v_end, verb in _verbs(text, quote.end, tail_end, masked):
        if len(text[quote.end : v_start].split()) > 7 or verb == "according":
            break
        speaker, confidence = speakers.subject_before(quote.end, v_start, masked)
        if speaker is None and verb in INVERTING_VERBS:
            speaker, confidence = speakers.subject_after(v_end, tail_end)
        if speaker is not None:
            return speaker, min(0.95, confidence + 0.05), verb, quote.start
        break
    # Before: the clause leading into the quote ("Mr Blair said: …", "He told the BBC that …").
    sentence = sentence_of(quote.start)
    lead_start = max([sentence[0]] + [b for a, b in masked if b <= quote.start])
    lead = text[lead_start : quote.start]
    if re.search(r"[:,]\s*$|\bthat\s*$|\b(?:said|says|added|told\s+\w+(?:\s+\w+)?)\s*$", lead):
        for v_start, _, verb in reversed(list(_verbs(text, lead_start, quote.start, []))):
            if verb == "according":
                continue
            clause = _clause_start(text, lead_start, v_start, [])
            speaker, confidence = speakers.subject_before(clause, v_start, [])
            if speaker is None and clause > lead_start and not text[clause:v_start].strip(" ,"):
                # "He did not give details but said, "…"": the subject the sentence opens with.
                speaker, confidence = speakers.subject_at_start(lead_start, clause), 0.6
            if speaker is not None:
                # The passage takes in the clause that frames the quote ("It says that while
                # many officials…, "there are…"").
                return speaker, confidence, verb, clause
            break
    according = _ACCORDING.search(text, lead_start, quote.start)
    if according:
        ref = next(iter(speakers.refs_in(according.end(), quote.start)), None)
        if ref is not None and ref.start - according.end() <= 4:
            return ref.entity, 0.75, "according", lead_start
    return None, 0.0, "", quote.start


def _reported(text, sentence, masked, speakers):
    """Attributions for a sentence of reported speech: one, or one per clause when clauses
    have different speakers ("Israel accused Hamas…, while the group said…")."""
    a, b = sentence
    lower = text[a:b].lower()
    found = []
    for span in _clauses(text, a, b, masked):
        said = _said_in(text, span, sentence, masked, speakers)
        if said is None:
            continue
        if found and found[-1].speaker == said.speaker:
            found[-1].span = (found[-1].span[0], span[1])
        else:
            found.append(said)
    if len(found) == 1:
        found[0].span = sentence
    if found:  # "According to ABC News, Basya also believes…": Basya says it
        return found
    for match in _QUOTING.finditer(text, a, b) if "quoting" in lower else ():
        # "…, quoting North Korea's main news agency KCNA, …": the source quoted is the last
        # name of that phrase.
        stop = text.find(",", match.end(), b)
        refs = speakers.refs_in(match.end(), stop if stop != -1 else b)
        if refs:
            return [Attribution(sentence, sentence, refs[-1].entity, "according-to", 0.7)]
    if "according to" in lower:
        for match in _ACCORDING.finditer(text, a, b):
            source = speakers.according_to(match.end(), b)
            if source is not None:
                return [Attribution(sentence, sentence, source, "according-to", 0.8)]
            desc = re.match(r"(?i)the\s+[a-z]+", text[match.end() : b])
            if desc:
                found = speakers.resolve(desc.group(), match.end())
                if found is not None:
                    return [Attribution(sentence, sentence, found, "according-to", 0.65)]
    for match in _BY_AGENT.finditer(text, a, b) if " by " in lower else ():
        refs = speakers.refs_in(match.end(), b)
        if refs and refs[0].start - match.end() <= 4:
            return [Attribution(sentence, sentence, refs[0].entity, "attribution", 0.75)]
    stance = _STANCE.search(text, a, b) if ("concern" in lower or " is " in lower) else None
    if stance:
        speaker, confidence = speakers.subject_before(a, stance.start(), masked)
        if speaker is not None and speakers.entities[speaker].kind in (PERSON, *BODIES, "state"):
            return [Attribution(sentence, sentence, speaker, "stance", confidence * 0.8)]
    return []


def _clauses(text, a, b, masked):
    """The sentence cut before ", while …", ", whereas …", ", but …" and ";" (outside quotes)."""
    cuts = [
        m.start()
        for m in _CLAUSE_SPLIT.finditer(text, a, b)
        if not any(s <= m.start() < e for s, e in masked)
    ]
    bounds = [a, *cuts, b]
    spans = []
    for i in range(len(bounds) - 1):
        start, end = bounds[i], bounds[i + 1]
        lead = re.match(r"[\s,;]*", text[start:end]).end()
        spans.append((start + lead, end))
    return spans


def _said_in(text, span, sentence, masked, speakers):
    """The attribution of the first speech verb in `span` whose subject is an actor."""
    a, b = span
    for v_start, v_end, verb in _verbs(text, a, b, masked):
        if verb == "according":
            continue
        clause = _clause_start(text, a, v_start, masked)
        speaker, confidence = speakers.subject_before(clause, v_start, masked)
        if (
            speaker is None
            and verb in INVERTING_VERBS
            and re.search(r",\s*$", text[clause:v_start])
        ):
            speaker, confidence = speakers.subject_after(v_end, b)  # "…, said Mr Blair."
        if speaker is None and clause > sentence[0] and not text[clause:v_start].strip(" ,;"):
            # "The company did not disclose the details, but said…": the sentence's subject.
            speaker, confidence = speakers.subject_at_start(sentence[0], clause), 0.6
        if speaker is None:
            if _VAGUE_SUBJECT.search(text, clause, v_start):
                return None  # "One Republican strategist said he believed…": nobody named
            continue
        speaker, others = speakers.joint_subject(clause, v_start, speaker)
        return Attribution(span, sentence, speaker, "reported", confidence, verb, others)
    return None
