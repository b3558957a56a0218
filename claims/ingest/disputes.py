"""Stage 5: denials and rebuttals, and the claim each one disputes (pure).

An attribution is a denial when its verb denies ("denied", "rejected", "dismissed … as",
"refuted", "contradicted") or its words do ("I reject that entirely", "not true", "insisted
it had not…"). What it disputes:
- the claims of the actor it names ("denied claims by Labour that…", "rejected Mr Howard's
  allegations"): that actor's latest claim before it, or, when the article gives the
  accusation only inside the denial ("refute claims made by Seoul over…"), a new claim by the
  accuser whose passage is that clause;
- else the earlier claim in the article, by someone else, that shares the most words with the
  denial (the accusation it answers), the nearest one on a tie.
"""

import re
from dataclasses import dataclass

from claims.ingest.attribution import ACCUSE_VERBS, DENY_VERBS
from claims.text import word_set

_DENIAL_WORDS = re.compile(
    r"(?i)\b(?:den(?:y|ies|ied)|reject(?:s|ed)?|dismiss(?:es|ed)?|refut(?:e|es|ed)|"
    r"rebut(?:s|ted)?|contradict(?:s|ed)?|"
    # "disputed the figures", not "the shelf disputed between Ankara and Athens"
    r"(?:disput|contest)(?:e|es|ed)\s+(?:the|that|this|these|those|his|her|its|their|any|"
    r"claims?|allegations?|reports?|accounts?|figures?|findings?)\b|"
    r"(?:is|was|were|are)\s+(?:simply\s+|completely\s+|totally\s+)?[\"“‘']?(?:not\s+true|untrue|false|"
    r"wrong|nonsense|rubbish|baseless|groundless|unfounded|absurd|ridiculous)|"
    r"no\s+truth|without\s+foundation|categorically|never\s+(?:said|did|had)|"
    r"insist(?:s|ed)?\s+(?:that\s+)?(?:\w+\s+){1,4}?(?:not|never|n['’]t|no)\b|"
    # Rebuttals: "Speaking in the parents' defence, …", "X hit back", "countered".
    r"in\s+(?:\w+['’]s?\s+|the\s+|his\s+|her\s+|their\s+)?defen[cs]e\b|hit\s+back|"
    r"countered|retorted|rebutted|lied|lying|liar|lie\s+to|"
    # "Greece, responding to a warning by Turkey …, said it had the right …"
    r"(?:respond(?:ing|ed)|repl(?:ying|ied)|in\s+(?:response|reply))\s+to\s+(?:a|an|the)\s+"
    r"(?:\w+\s+)?(?:warnings?|claims?|charges?|accusations?|allegations?|criticism|threats?|"
    r"demands?)\b)"
)
_TARGET = re.compile(
    r"(?i)\b(?P<what>claims?|allegations?|accusations?|charges?|suggestions?|reports?|"
    r"assertions?|criticism|remarks?|comments?|statements?|warnings?|threats?|demands?)"
    r"(?:\s+(?:made|levelled|leveled|voiced|put\s+forward))?\s+(?:by|from)\s+"
)
_POINTS_BACK = re.compile(
    r"(?i)\b(?:the|these|those|such|that|this|his|her|their|its)\s+(?:\w+\s+)?(?:claims?|"
    r"allegations?|accusations?|charges?|suggestions?|reports?|criticism|remarks?|comments?|"
    r"attacks?|idea|warnings?|figures?|assertions?|accounts?|version|story|stories|"
    r"conclusions?|findings?|verdict|ruling|decision|report|analysis)\b|"
    r"\bdismiss(?:es|ed)?\b.{1,60}?\bas\b|"
    r"\b(?:reject(?:s|ed)?|den(?:y|ies|ied)|dismiss(?:es|ed)?|refut(?:e|es|ed))\s+"
    r"(?:this|it|them|that(?=\s*(?:[.,;!?\"”’]|entirely|completely|absolutely|totally|"
    r"outright|utterly)))\b"
)
_PLURAL_BACK = re.compile(r"(?i)\b(?:these|those|the|such|their|his|her|its)\s+(?:\w+\s+)?\w+s\b")
_NEGATION = re.compile(r"(?i)\b(?:not|never|no\s+longer|n['’]t|nothing|nobody|none)\b")
_CLAUSE_END = re.compile(r"\b(?:that|over|of|about|regarding|on)\b|[,;:.]")
_CONTENT = re.compile(r"[a-z]{4,}")
_STOP = word_set(
    "that this with have were been will would there their they them from which about said "
    "says told into also than then when what over more most some such very just only even "
    "could should being because after before while where these those other added"
)


@dataclass
class Dispute:
    denial: int  # index of the denying attribution
    target: int | None  # index of the disputed attribution in this article, or None
    accusers: tuple = ()  # entity indexes of the accusers when target is None
    # (start, end) of the accusation clause when the denial alone gives it; None (and no
    # target) when the disputed claim is to be looked for among earlier articles' claims.
    accusation: tuple | None = None


def is_denial(text, attribution):
    if attribution.verb in DENY_VERBS:
        return True
    a, b = attribution.span
    return _DENIAL_WORDS.search(text, a, b) is not None


def _words(text, span):
    return {w for w in _CONTENT.findall(text[span[0] : span[1]].lower()) if w not in _STOP}


def find_disputes(text, attributions, speakers):
    found = []
    for i, denial in enumerate(attributions):
        if not is_denial(text, denial):
            continue
        a, b = denial.span
        named = _TARGET.search(text, a, b)
        accuser = None
        if named:
            refs = speakers.refs_in(named.end(), b)
            if refs and refs[0].start - named.end() <= 4:
                accuser = refs[0].entity
        if accuser is None:
            possessive = re.search(
                r"(?P<owner>\S+(?:\s+\S+){0,3}?)['’]s?\s+(?:\w+\s+)?(?:claims?|allegations?|"
                r"accusations?|charges?|suggestions?|criticism|remarks?)\b",
                text[a:b],
            )
            if possessive:
                owner = speakers.ref_ending_at(a, a + possessive.end("owner"))
                if owner is not None:
                    accuser = owner.entity
        deniers = {denial.speaker, *denial.others}
        earlier = [
            j
            for j in range(i)
            if attributions[j].speaker not in deniers and attributions[j].span[1] <= b
        ]
        if accuser is not None:
            by_accuser = [j for j in earlier if attributions[j].speaker == accuser]
            if by_accuser:
                found.append(Dispute(i, by_accuser[-1]))
            elif named and accuser not in deniers:
                end = _CLAUSE_END.search(text, named.end(), b)
                refs = speakers.refs_in(named.end(), end.start() if end else b)
                accusers = tuple(dict.fromkeys(r.entity for r in refs))
                start = named.start("what")
                article = re.search(r"(?i)\b(?:a|an|the)\s+$", text[max(a, start - 5) : start])
                if article:  # "a warning by Turkey": the noun phrase, its article too
                    start -= len(article.group())
                found.append(Dispute(i, None, accusers, (start, b)))
            elif accuser not in deniers:
                found.append(Dispute(i, None, (accuser,)))  # the accuser's claim elsewhere
            continue
        if _POINTS_BACK.search(text, a, b):
            reported = _reported_accusation(text, attributions, i, speakers, deniers)
            if reported is not None:  # "… said the SEC staff planned to allege that …"
                found.append(Dispute(i, None, (reported[0],), reported[1]))
                continue
        # A denial answers an accusation, not another denial, when there is one.
        earlier = [j for j in earlier if not is_denial(text, attributions[j])] or earlier
        if not earlier:
            found.append(Dispute(i, None))  # answers a claim of an earlier article, if any
            continue
        said = _words(text, denial.span)
        best = max(
            earlier,
            key=lambda j: (
                len(said & _words(text, attributions[j].span)),
                attributions[j].verb in ACCUSE_VERBS,  # an accusation is what gets denied
                attributions[j].rule != "reported-continued",  # said, not only carried on
                j,
            ),
        )
        # Without a shared word, only a denial that points back ("denied the claims", "I
        # reject that") answers the latest accusation.
        back = _POINTS_BACK.search(text, a, b)
        if said & _words(text, attributions[best].span) or back:
            if not said & _words(text, attributions[best].span):
                best = earlier[-1]
            found.append(Dispute(i, best))
            if back and _PLURAL_BACK.search(back.group()):
                # "denied these allegations": every earlier claim of that accuser.
                accuser = attributions[best].speaker
                found += [
                    Dispute(i, j)
                    for j in earlier
                    if j != best and attributions[j].speaker == accuser
                ]
        else:
            found.append(Dispute(i, None))
    found += _defences(text, attributions, {(d.denial, d.target) for d in found})
    disputed = {(d.denial, d.target) for d in found}
    found += _contradictions(text, attributions, disputed)
    disputed = {(d.denial, d.target) for d in found}
    found += _rejoinders(text, attributions, disputed)
    return found


_ACCUSES = re.compile(
    r"(?i)\b(?:allege[sd]?|alleging|accuse[sd]?|accusing|charge[sd]?|charging)\s+(?:that\s+)?"
)


def _reported_accusation(text, attributions, i, speakers, deniers):
    """(accuser, (start, end)) when one of the two claims before denial i reports someone
    else's accusation ("English said the SEC staff planned to allege that WPPSS had
    overstated …. English denied the allegations."): the accusation is the accuser's."""
    for j in range(i - 1, max(-1, i - 3), -1):
        a, b = attributions[j].span
        for verb in _ACCUSES.finditer(text, a, b):
            before = [r for r in speakers.refs_in(a, verb.start()) if r.entity not in deniers]
            if not before or verb.start() - before[-1].end > 30:
                continue
            if before[-1].entity in (attributions[j].speaker, *attributions[j].others):
                continue  # the claim's own accusation: the denial disputes that claim
            stop = re.search(r"\.(?:\s|$)", text[verb.end() : b])
            end = verb.end() + stop.start() if stop else b
            if end - verb.end() > 20:
                return before[-1].entity, (verb.end(), end)
    return None


_DEFENCE = re.compile(r"(?i)\bin\s+(?:the\s+)?(?P<who>[a-z]+)['’]s?\s+defen[cs]e\b")


def _defences(text, attributions, disputed):
    """ "Speaking in the parents' defence, X said…": X disputes every earlier claim by someone
    else that speaks of those it defends (the accusations against them)."""
    found = []
    for i, claim in enumerate(attributions):
        defence = _DEFENCE.search(text, *claim.span)
        if not defence:
            continue
        who = re.compile(rf"(?i)\b{re.escape(defence.group('who').rstrip('s'))}s?['’]?\b")
        deniers = {claim.speaker, *claim.others}
        for j in range(i):
            other = attributions[j]
            if other.speaker in deniers or (i, j) in disputed:
                continue
            if who.search(text, *other.span):
                found.append(Dispute(i, j))
    return found


_REJOINDER = re.compile(r"(?i)[\s\"“‘]*(?:but|however)\b|[^.]{1,60},\s+however,")


def _rejoinders(text, attributions, disputed):
    """ "UAW officials said the collapse was not final. But AMC said the union's rejection
    means…": a claim that opens with "But" or has ", however," answers the claim just before
    it when someone else made that one and the two share two content words."""
    found = []
    for i, claim in enumerate(attributions):
        if not _REJOINDER.match(text, claim.unit[0]) or claim.span[0] > claim.unit[0] + 2:
            continue
        j = _just_before(attributions, i, {claim.speaker, *claim.others})
        if j is None or (i, j) in disputed:
            continue
        if attributions[j].span[1] < claim.unit[0] - 400:
            continue  # not the claim it follows
        if len(_words(text, claim.span) & _words(text, attributions[j].span)) >= 2:
            found.append(Dispute(i, j))
    return found


def _just_before(attributions, i, speakers):
    """The claim before attribution i, not counting sentences that only go on with one, when
    someone other than `speakers` made it; else None."""
    j = next((j for j in reversed(range(i)) if attributions[j].rule != "reported-continued"), None)
    return j if j is not None and attributions[j].speaker not in speakers else None


def _contradictions(text, attributions, disputed):
    """A claim that says the opposite of an earlier one by someone else: it negates ("have not
    received", "was never forced") and shares two content words with it, or one with the
    claim just before it (by someone else)."""
    found = []
    for i, claim in enumerate(attributions):
        if is_denial(text, claim) or not _NEGATION.search(text, *claim.span):
            continue
        said = _words(text, claim.span)
        speakers = {claim.speaker, *claim.others}
        others = [j for j in range(i) if attributions[j].speaker not in speakers]
        if not others:
            continue
        best = max(others, key=lambda j: (len(said & _words(text, attributions[j].span)), j))
        shared = len(said & _words(text, attributions[best].span))
        just_before = _just_before(attributions, i, speakers)
        if shared < 2 and just_before is not None:
            best, shared = just_before, len(said & _words(text, attributions[just_before].span))
            shared = 2 if shared >= 1 else 0  # one word is enough with the claim just before
        if shared >= 2 and (i, best) not in disputed:
            found.append(Dispute(i, best))
    return found


def content_words(text, span):
    """The words two passages must share to be about the same thing (matching a denial to a
    claim of an earlier article)."""
    return frozenset(_words(text, span))
