"""Stage 2: names in a paragraph, each classified as a person, organisation or state (pure).

A name is a run of capitalized words ("Michael Howard", "Confederation of British Industry",
"Mr Blair", "CBI"). Its kind comes from its words, not from a list of names:
- a state: a country's name, other spelling or capital (claims/ingest/states.py), or a
  demonym with "government" ("the Chinese government");
- an organisation: a head word such as Ministry, Party, Court, Police, Union, Bank, Group, plc
  ("Bank of England", "Labour Party"), or an acronym ("CBI"); government bodies and media by
  their head words;
- a person: a title or honorific before it ("Mr Blair", "Lord Falconer", "Prime Minister Tony
  Blair": titles from the `nameparser` package, which knows British forms without a full stop),
  or two to four name-like words;
- one capitalized word ("Blair", "Labour") stays undecided: coreference makes it the person
  with that surname, or the organisation when it speaks.
"""

import re
from dataclasses import dataclass
from functools import cache

from nameparser.config import CONSTANTS

from claims.ingest.states import GOVERNMENT_WORDS, demonyms, state_acronyms, state_names
from claims.text import normalize_alias, word_set

PERSON, STATE, ORGANIZATION = "person", "state", "organization"
GOVERNMENT_BODY, MEDIA = "government_body", "media"
SINGLE, PLACE = "single", "place"  # not actors by themselves: coreference decides

# Honorifics that stay part of a peer's name ("Lord Falconer"), and those that do not ("Mr").
PEERAGE = word_set(
    "Lord Lady Baroness Baron Viscount Earl Duke Duchess Dame Sir Dean Sheikh Shaikh King Queen "
    "Prince Princess Pope Emir Sultan"
)
HONORIFICS = word_set("Mr Mrs Ms Miss Mx Dr Prof Professor Rev Revd Reverend Cllr")
FEMALE = word_set("Mrs Ms Miss Lady Baroness Dame Duchess Queen Princess Madam Mme Mlle")
MALE = word_set("Mr Lord Sir Baron Viscount Earl Duke King Prince Sheikh")
# nameparser's titles include pronouns, and adjectives that start names of bodies ("National
# Amusements", "Royal Mail", "Federal Reserve") far more often than they title a person.
_NOT_TITLES = word_set(
    "his her me us uk most high risk tax law film flag rock host heir air army navy wing "
    "pro bard poet chef monk met timi mag pd vc rear st united national royal federal grand "
    "supreme senior first state district private special financial political social business "
    "ab english"
)
_EXTRA_TITLES = word_set(
    "spokesman spokeswoman spokesperson chairman chairwoman chair justice inspector "
    "superintendent constable shadow home foreign deputy acting interim chief prosecutor "
    "affairs undersecretary coroner barrister solicitor sergeant detective analyst economist "
    "strategist trader researcher expert commentator reporter journalist correspondent attorney"
)
# Words that end (or, before "of"/"for", begin) the name of an organisation, by kind.
_GOVERNMENT_HEADS = word_set(
    "Ministry Department Office Treasury Parliament Senate Congress Cabinet Commons Assembly "
    "Government Administration Police Constabulary Court Tribunal Commission Council Agency "
    "Authority Executive Inspectorate Service Services Army Navy Forces Guard Bureau Directorate "
    "Exchequer Prosecutors Prosecution Regulator Secretariat Whitehall Kremlin Pentagon "
    "Embassy Consulate Mission District Sheriff"
)
_MEDIA_HEADS = word_set(
    "News Times Post Press Radio TV Television Journal Herald Tribune Telegraph Guardian "
    "Gazette Observer Chronicle Mail Express Mirror Independent Reuters Broadcasting Weekly "
    "Daily Magazine Channel"
)
_ORGANIZATION_HEADS = word_set(
    "Party Union Unions Confederation Federation Association Institute Institution Foundation "
    "Trust Fund Bank Group Inc Corp Corporation Company Co Ltd Plc plc PLC LLC AG SA NV "
    "Holdings Industries Airlines Airways Motors Systems Technologies Pharmaceuticals "
    "Partners Capital Securities Insurance Energy Petroleum Oil Telecom Communications "
    "Organisation Organization Society Committee Board Alliance Coalition League Movement "
    "Front Network Centre Center University College School Hospital Church Club Reserve "
    "Exchange Chamber Chambers Campaign Watch Report Review Inquiry Survey Study Programme Brigade "
    "Brigades Council Consortium Initiative Forum Lobby Nations"
)
_ORG_HEADS = _GOVERNMENT_HEADS | _MEDIA_HEADS | _ORGANIZATION_HEADS
# Last words of places, which speak only as institutions ("Downing Street said").
_PLACE_HEADS = word_set(
    "Street Road Avenue Square Lane Place Hall House Palace Castle Park Bridge Airport Station "
    "Island Islands River Valley Mountains Hills Sea Ocean Bay Coast Gulf Province County "
    "City Town Village Region State States Republic Kingdom Stadium Arena Tower"
)
# A party's member, which describes a person rather than names one.
_PARTY_MEMBERS = word_set("Republican Democrat Conservative Tory Socialist Communist Liberal")
# Last words of natural places: unlike "Downing Street", they never stand for a body.
_NATURE_HEADS = word_set(
    "Sea Ocean River Lake Bay Gulf Strait Straits Peninsula Mountains Mountain Hills "
    "Desert Valley Island Islands Coast Shelf Basin Delta Canal"
)
# Last words of events, laws and plans, never actors ("Korean War", "Finance Bill").
_EVENT_HEADS = word_set(
    "War Wars Revolution Crisis Election Elections Olympics Games Cup Summit Conference Act "
    "Bill Treaty Agreement Accord Pact Day Week Year Age Era Plan Strategy Budget Award Prize "
    "Festival Show Convention Protocol Doctrine Scandal Affair"
)
# Capitalized words that start sentences or stand for dates, never a name's first word.
_FUNCTION = word_set(
    "The A An But And Or Nor If In On At By For From With Without Of To As After Before When "
    "While Since Although Though Because However Meanwhile Yesterday Today Tomorrow Tonight "
    "Last Next This That These Those It Its He She They We I You His Her Their Our My Your "
    "There Here Then Now So Yet Still Also Speaking According Under Over Despite During Among "
    "Between Asked Some Many Most Several Both Each Every All Any No Not Other Such Only Even "
    "Instead Indeed Later Earlier Once What Which Who Whom Whose Where Why How Mr Mrs Ms Dr "
    "Lord Lady Sir Dame Baroness Thanks Following Unlike Like Given Under Until Whether Where "
    "Than Let Do Does Did Is Are Was Were Be Been Has Have Had Will Would Can Could Should May "
    "Might Must Shall Please Yes Oh Well Just More Less Much Few One Two Three Four Five Six "
    "Seven Eight Nine Ten First Second Third Its Their Another Every Across Against Amid Along "
    "Around Behind Beyond Inside Outside Within Through Toward Towards Upon Via Per Whilst"
)
_DATES = word_set(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May "
    "June July August September October November December Christmas Easter Mon Tue Wed Thu "
    "Fri Sat Sun Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec"
)
# Lowercase words that may sit inside a name ("Bank of England", "Charles de Gaulle").
_CONNECTORS = word_set("of for on and the de du da di von van der den bin al el la le y &")
_PARTICLES = word_set("de du da di von van der den bin al el la le y")
# Acronyms that are not actors.
_NOT_ACTORS = word_set(
    "I A OK TV CEO CFO COO GDP GMT BST EST AM PM MP MPs MEP MEPs MSP AM QC KC PR IT AI HIV "
    "AIDS DNA UFO VAT PIN ID PC PCs CD DVD USB SMS FAQ CV PhD MBA OBE MBE CBE RIP AD BC "
    "UTC EDT PST PDT CET NB PS RSS PDF HTML URL WWW FM LLP SC"
)

_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[A-Za-z0-9][\w'’&\-]*(?:\.(?:com|org|net|co\.uk)\b)?")
# "Scientology-owned", "Labour-run": the name is the part before the hyphen.
_COMPOUND = re.compile(r"[A-Z][\w'’]*(?=-[a-z])")
# Arabic name particles written in lower case inside a name ("Ali al-Khalifa al-Sabah").
_NAME_PARTICLE = re.compile(r"(?:al|el|ad|as|ash|ibn|bin|abu|bint)-[A-Z]")
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_ACRONYM = re.compile(r"[A-Z][A-Z&]{1,6}s?")
_INQUIRY_AFTER = re.compile(r"\s+(?:report|inquiry|review|study|survey|commission)\b")
_SURNAME_SPEAKS = re.compile(
    r"(?:,\s+in\s+[^,]{1,40},)?\s+(?:said|says|denied|denies|added|told|insisted)\b"
)
_SPEAKS_NEXT = re.compile(r",?\s+(?:said|says|reported|reports|added|quoted|told)\b")
_MEDIUM_NOUN_AFTER = re.compile(
    r"\s+(?:newspaper|paper|daily|weekly|magazine|news\s+agency|broadcaster|television)\b"
)
_INITIALS = re.compile(r"(?:[A-Z]\.)+[A-Z]?")
_GAP_INSIDE_NAME = re.compile(r"\s|\.\s")  # "Mr. Smith", "George W. Bush"


@cache
def titles():
    found = {t for t in CONSTANTS.titles if t.isascii() and t.isalpha()} - _NOT_TITLES
    return frozenset((found | _EXTRA_TITLES) - demonyms().keys())


@dataclass(frozen=True)
class Name:
    start: int
    end: int
    text: str  # the surface form, without a leading "the" or a possessive
    kind: str  # an Actor.Kind value, or SINGLE / PLACE
    rule: str
    name: str = ""  # the actor's name: no honorific ("Blair" for "Mr Blair"), else `text`
    title: str = ""  # the title or honorific in front ("Mr", "Prime Minister")
    gender: str = ""  # "f" or "m" when the title says
    state: str = ""  # for a state: its name in claims/ingest/states.py


def is_title(word):
    """Is `word` a title or honorific ("Mr", "chancellor", "Secretary-General")?"""
    return _is_title(word)


def _is_title(word):
    word = word.lower().rstrip(".")
    if word in titles():
        return True
    parts = word.split("-")  # "Secretary-General", "Attorney-General"
    return len(parts) > 1 and all(p in titles() for p in parts)


def _tokens(text, start, end):
    spans = []
    for m in _TOKEN.finditer(text, start, end):
        compound = _COMPOUND.match(m.group())
        if compound and not _NAME_PARTICLE.match(m.group()):
            spans.append((m.start(), m.start() + compound.end()))
            spans.append((m.start() + compound.end() + 1, m.end()))  # the lowercase part
        else:
            spans.append((m.start(), m.end()))
    return spans


def _runs(text, start, end):
    """Runs of capitalized tokens (with connectors inside) as lists of (start, end)."""
    runs, run = [], []
    spans = _tokens(text, start, end)
    for i, (a, b) in enumerate(spans):
        word = text[a:b]
        gap_ok = bool(run) and _GAP_INSIDE_NAME.fullmatch(text[run[-1][1] : a] or "x") is not None
        if gap_ok and text[run[-1][1] : a].startswith(".") and not _abbreviated(text, run[-1]):
            gap_ok = False
        if word[0].isupper() or _NAME_PARTICLE.match(word):
            if run and (not gap_ok or _POSSESSIVE.search(text[run[-1][0] : run[-1][1]])):
                runs.append(run)  # "Saudi Arabia's Civil Defense Authority": two names
                run = []
            run.append((a, b))
        elif (
            (run and gap_ok and (word == "plc" or (word.isdigit() and len(word) <= 3)))
            or (
                run
                and gap_ok
                and word in _CONNECTORS
                and i + 1 < len(spans)
                and text[b : spans[i + 1][0]] == " "
                and (
                    text[spans[i + 1][0]].isupper()
                    or (  # "Chancellor of the Exchequer"
                        word == "of"
                        and text[spans[i + 1][0] : spans[i + 1][1]] == "the"
                        and i + 2 < len(spans)
                        and text[spans[i + 2][0]].isupper()
                        and text[spans[i + 1][1] : spans[i + 2][0]] == " "
                    )
                )
            )
        ):
            run.append((a, b))
        elif run:
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    return runs


def _abbreviated(text, span):
    """Is the token a title or an initial that takes a full stop ("Mr.", "W.")?"""
    word = text[span[0] : span[1]]
    return len(word) == 1 or word.lower() in titles() or word in ("St", "Jr", "Sr")


def _words(text, run):
    return [_POSSESSIVE.sub("", text[a:b]) for a, b in run]


def _trim(text, run):
    """Leading function words and date words off; split at dates; connectors not at the ends."""
    pieces, piece = [], []
    words = _words(text, run)
    for n, span in enumerate(run):
        word = words[n]
        if word in _DATES and n + 1 < len(words) and words[n + 1] in _MEDIA_HEADS:
            piece.append(span)  # "the Sunday Mail", "Sunday Times": a paper's name
            continue
        if piece and word == "The" and words[n - 1] in _CONNECTORS:
            pieces.append(piece)  # "Shares on The Bombay Stock Exchange": a name starts
            piece = [span]
            continue
        if word in _DATES or (not piece and word in _FUNCTION and not _is_title(word)):
            if piece:
                pieces.append(piece)
            piece = []
            continue
        piece.append(span)
    if piece:
        pieces.append(piece)
    trimmed = []
    for piece in pieces:
        while piece and text[piece[-1][0] : piece[-1][1]] in _CONNECTORS:
            piece = piece[:-1]
        while piece and text[piece[0][0] : piece[0][1]] in _CONNECTORS:
            piece = piece[1:]
        if piece:
            trimmed.append(piece)
    return trimmed


def _org_kind(words):
    heads = [w for i, w in enumerate(words) if w in _ORG_HEADS and _is_head(words, i)]
    if not heads:
        return None
    head = heads[-1]
    if head in _MEDIA_HEADS:
        return MEDIA
    if head in _GOVERNMENT_HEADS:
        return GOVERNMENT_BODY
    return ORGANIZATION


def _is_head(words, i):
    """A head word ends the name or is followed by "of"/"for" ("Bank of England")."""
    return i == len(words) - 1 or words[i + 1] in ("of", "for", "&", "and")


def _split_connectors(text, run):
    """ "Tony Blair and Gordon Brown" → two runs; "Bank of England" stays whole, and so does
    "Food and Drug Administration" (its head word after the "and")."""
    words = _words(text, run)
    if not any(w in _CONNECTORS and w not in _PARTICLES for w in words):
        return [run]
    last_and = max((i for i, w in enumerate(words) if w in ("and", "&")), default=-1)
    link = next((w for w in words if w in ("of", "for")), None)
    if link:  # "Larry Eckenfelder of Prudential-Bache", "Lydia Buchtmann for FSANZ": two names
        at = words.index(link)
        before = words[:at]
        office = [w for w in before if not _state_word(w)]
        if office and all(_is_title(w) for w in office):
            # "Secretary of State George Shultz": a role, then the name.
            if last_and < 0:
                return [run]
            return [
                *_split_connectors(text, run[:last_and]),
                *_split_connectors(text, run[last_and + 1 :]),
            ]
        heads = _ORG_HEADS | _PLACE_HEADS
        plain = not any(w in heads or _is_title(w) for w in before)
        if plain and len(before) >= 2 and all(_name_like(w) for w in before):
            return [run[:at], *_split_connectors(text, run[at + 1 :])]
    whole_body = last_and < 0 or words[last_and] == "&" or words[-1] in _ORG_HEADS
    if whole_body and _org_kind(words) and (last_and < 0 or _org_kind(words[last_and + 1 :])):
        return [run]
    pieces, piece = [], []
    for span, word in zip(run, words, strict=True):
        if word in _CONNECTORS and word not in _PARTICLES:
            if piece:
                pieces.append(piece)
            piece = []
        else:
            piece.append(span)
    if piece:
        pieces.append(piece)
    return pieces


def _state_word(word):
    """A country's name, acronym or demonym ("U.K.", "Turkish")."""
    key = normalize_alias(word)
    return key in demonyms() or key in state_names() or word in state_acronyms()


def _make(text, run, kind, rule, **extra):
    a, b = run[0][0], run[-1][1]
    surface = _POSSESSIVE.sub("", text[a:b])
    return Name(a, a + len(surface), surface, kind, rule, extra.pop("name", surface), **extra)


def _classify(text, run, after):
    """The names in one trimmed run. `after` is the text following the run."""
    words = _words(text, run)
    surface = " ".join(words)
    key = normalize_alias(surface)
    known_state = state_names().get(key)
    if known_state:
        return [_make(text, run, STATE, known_state[1], state=known_state[0])]
    if key in demonyms():
        follow = re.match(r"\s+(\w+)", after)
        if _SURNAME_SPEAKS.match(after):
            # "English denied the allegations": a surname ("Ron English"), not a nationality.
            return [_make(text, run, SINGLE, "single")]
        if follow and follow.group(1).lower() in GOVERNMENT_WORDS:
            end = run[-1][1] + follow.end()
            surface = text[run[0][0] : end]
            name = Name(run[0][0], end, surface, STATE, "demonym", surface, state=demonyms()[key])
            return [name]
        return []
    for k in (3, 2, 1):  # "United States Hamdullah Mohib": a state, then a person
        rest = words[k:]
        if len(rest) >= 2 and all(_name_like(w) for w in rest):
            state = state_names().get(normalize_alias(" ".join(words[:k])))
            if state and not _org_kind(rest):
                here = _make(text, run[:k], STATE, state[1], state=state[0])
                return [here, *_classify(text, run[k:], after)]
    if _MEDIUM_NOUN_AFTER.match(after) and not any(_is_title(w) for w in words):
        # "the authoritative Business Day newspaper": what the name is, said after it.
        return [_make(text, run, MEDIA, "organisation")]
    org = _org_kind(words)
    first_title = next((i for i, w in enumerate(words) if _is_title(w)), len(words))
    first_head = next((i for i, w in enumerate(words) if w in _ORG_HEADS), len(words))
    if org and (words[-1] in _ORG_HEADS or first_head < first_title):
        # "Prime Minister's Office" is an office; "Home Secretary Jack Straw" a person.
        return [_make(text, run, org, "organisation")]
    inquiry = _INQUIRY_AFTER.match(after)
    if inquiry and not any(_is_title(w) for w in words) and len(words) <= 3:
        # "the Hutton report", "the Butler inquiry": a report speaks as a source.
        end = run[-1][1] + inquiry.end()
        surface = text[run[0][0] : end]
        return [Name(run[0][0], end, surface, ORGANIZATION, "report", surface)]
    # Titles: the longest run of title words, then the name after it.
    for i, word in enumerate(words):
        if not _is_title(word):
            continue
        j = i
        while j < len(words) and (
            _is_title(words[j])
            or words[j] in ("of", "the", "for")
            or normalize_alias(words[j]) in demonyms()  # "Acting Turkish Prime Minister"
        ):
            j += 1
        if (
            j < len(words)
            and words[j - 1] in ("of", "the")
            and len(words) - j >= 3
            and all(_name_like(w) for w in words[j + 1 :])
        ):
            j += 1  # "Secretary of State George Shultz", "Chancellor of the Exchequer Nigel Lawson"
        while j > i and words[j - 1] in ("of", "the", "for"):
            j -= 1
        name_run = run[j:]
        if not name_run:
            if i == 0:
                return []  # a title alone ("the Chancellor"): coreference resolves it
            break  # a title word ending a name ("AB Investor") titles nobody
        before = _classify(text, run[:i], text[run[i][0] :]) if i else []
        name_words = words[j:]
        if _org_kind(name_words) or any(w.isupper() and len(w) > 1 for w in name_words):
            return before + _classify(text, name_run, after)
        title = " ".join(words[i:j])
        last_title = words[j - 1]
        gender = "f" if last_title in FEMALE else "m" if last_title in MALE else ""
        if last_title in PEERAGE:
            name = " ".join([last_title, *name_words])
        else:
            name = " ".join(name_words)
        keeps_title = last_title in PEERAGE or last_title in HONORIFICS or len(name_words) == 1
        start = run[i][0] if keeps_title else run[j][0]  # "Mr Justice Eady", not "Eady"
        stop = run[-1][1]
        surface = _POSSESSIVE.sub("", text[start:stop])
        person = Name(start, start + len(surface), surface, PERSON, "titled", name, title, gender)
        return before + [person]
    if len(words) == 1:
        word = words[0]
        if word in state_acronyms():
            return [_make(text, run, STATE, "acronym", state=state_acronyms()[word])]
        if _ACRONYM.fullmatch(word) and word not in _NOT_ACTORS and len(word) > 1:
            return [_make(text, run, ORGANIZATION, "acronym")]
        if word.isupper() or not word[0].isalpha():
            return []
        return [_make(text, run, SINGLE, "single")]
    if words[-1] in _PARTY_MEMBERS:
        return []  # "the Kansas Republican", "Senate Republican leader": a description
    if words[-1] in _EVENT_HEADS:
        if _SPEAKS_NEXT.match(after):  # "Business Day said": an event says nothing
            return [_make(text, run, ORGANIZATION, "organisation")]
        return []
    if words[-1] in _NATURE_HEADS:
        return []  # "the Aegean Sea", "Fish Lake": a place that never speaks
    if words[-1] in _PLACE_HEADS:
        return [_make(text, run, PLACE, "place")]
    if len(words) >= 2 and words[-1].isdigit() and all(_name_like(w) for w in words[:-1]):
        # "Number 10", "Radio 4", "Channel 4": a body with a number in its name.
        return [
            _make(text, run, MEDIA if words[0] in _MEDIA_HEADS else ORGANIZATION, "organisation")
        ]
    capitals = [w for w in words if _ACRONYM.fullmatch(w) and not _INITIALS.fullmatch(w)]
    if 2 <= len(words) <= 4 and capitals and len(capitals) < len(words):
        # "Consolidated TVX", "AB Investor": a capitals word in a name makes it a company's.
        return [_make(text, run, ORGANIZATION, "organisation")]
    last_state = state_names().get(normalize_alias(words[-1]))
    if last_state and len(words) <= 3 and not _org_kind(words):
        # "Moslem Pakistan", "Communist China": the state, with an adjective.
        return [_make(text, run[-1:], STATE, last_state[1], state=last_state[0])]
    particles = any(w in _PARTICLES or _NAME_PARTICLE.match(w) for w in words)
    if all(_name_like(w) for w in words) and (len(words) <= 3 or (len(words) == 4 and particles)):
        return [_make(text, run, PERSON, "name")]
    if len(words) >= 4 and not particles:
        # Four capitalized words or more without a title are a body's name, not a person's
        # ("Food Standards Australia New Zealand").
        return [_make(text, run, ORGANIZATION, "long-name")]
    return []


def _name_like(word):
    return (
        (word[0].isupper() and not word.isupper())
        or len(word) == 1
        or word in _PARTICLES
        or _INITIALS.fullmatch(word) is not None  # "H.W. Lichtenberger"
        or _NAME_PARTICLE.match(word) is not None
    )


def _definite(text, name):
    """ "the Liberal Democrats": a person's name takes no article; a plural name after "the"
    is a party or group."""
    plural = name.kind == PERSON and name.rule == "name" and name.text.endswith("s")
    if plural and text[max(0, name.start - 4) : name.start].lower() == "the ":
        return Name(name.start, name.end, name.text, ORGANIZATION, "organisation", name.name)
    return name


def _shouting(text, start, end):
    """An all-capitals line (a wire headline): capitals there say nothing about names."""
    letters = [c for c in text[start:end] if c.isalpha()]
    return len(letters) > 12 and sum(c.isupper() for c in letters) > 0.8 * len(letters)


def find_names(text, start, end):
    """The names in text[start:end], in order."""
    names = []
    if _shouting(text, start, end):
        return names
    for raw in _runs(text, start, end):
        for run in _trim(text, raw):
            for piece in _split_connectors(text, run):
                found = _classify(text, piece, text[piece[-1][1] : piece[-1][1] + 30])
                names += [_definite(text, n) for n in found]
    return names
