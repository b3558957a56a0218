"""Score what ingest drafted for an article against its gold (pure: data in, figures out).

The measures of issue 16, each a count over gold (or, for precision, over drafts):

- claim recall: gold claims some draft claim supports with a passage covering >= 50% of the
  quote's characters. Of those drafts, the *matched* one covers most of the quote (then: the
  tightest passage, then the first written);
- right claimant: gold claims whose matched draft's claimant has a name or alias equal, once
  normalized, to a form of the gold claimant (or of a co-claimant); over all gold claims;
- disputes: disputed gold claims whose matched draft has any disputing evidence;
- actors: gold actors some database actor names (name or alias equal to one of its forms);
- alias merges: gold actors written in >= 2 distinct forms, all of which name one and the
  same database actor;
- precision: draft claims with a supporting passage covering >= 50% of some gold quote.
"""

from dataclasses import dataclass, field

MEASURES = ("claim recall", "right claimant", "disputes", "actors", "alias merges", "precision")
TARGETS = {
    "claim recall": 0.85,
    "right claimant": 0.70,
    "disputes": 0.60,
    "actors": 0.80,
    "alias merges": 0.70,
    "precision": 0.75,
}
# Short names: table columns and --target on the command line.
SHORT_NAMES = {
    "recall": "claim recall",
    "claimant": "right claimant",
    "disputes": "disputes",
    "actors": "actors",
    "merges": "alias merges",
    "precision": "precision",
}


@dataclass(frozen=True)
class DraftActor:
    id: int
    name: str
    forms: frozenset  # its name and aliases, normalized


@dataclass(frozen=True)
class DraftClaim:
    id: int
    statement: str
    rule: str
    claimant: DraftActor | None
    supports: tuple  # ((start, end), ...) of its supporting passages
    disputes: tuple = ()  # ((start, end), ...) of its disputing passages


@dataclass(frozen=True)
class Drafts:
    """What ingest wrote for one article into an otherwise empty database."""

    claims: tuple
    actors: tuple


@dataclass(frozen=True)
class Count:
    found: int
    total: int

    @property
    def value(self):
        return self.found / self.total if self.total else None

    def __add__(self, other):
        return Count(self.found + other.found, self.total + other.total)


@dataclass(frozen=True)
class Miss:
    kind: str  # "claim not found", "wrong claimant", ...
    text: str


@dataclass
class Score:
    name: str
    counts: dict  # measure → Count
    misses: list = field(default_factory=list)

    def below(self, targets):
        """Measures under their target (a measure with nothing to count is not)."""
        return [
            m
            for m in MEASURES
            if self.counts[m].value is not None and self.counts[m].value < targets.get(m, 0)
        ]


def covered(passage, quote):
    """How many characters of `quote` the passage covers, if that is at least half of them."""
    overlap = min(passage[1], quote[1]) - max(passage[0], quote[0])
    return overlap if overlap > 0 and 2 * overlap >= quote[1] - quote[0] else 0


def matched_draft(claim, drafts):
    """The draft claim that best supports `claim`, or None."""
    best, best_key = None, None
    for draft in drafts:
        for passage in draft.supports:
            overlap = covered(passage, claim.span)
            if not overlap:
                continue
            key = (-overlap, passage[1] - passage[0], draft.id)
            if best_key is None or key < best_key:
                best, best_key = draft, key
    return best


def _preview(text, limit=70):
    text = " ".join(text.split())
    return f"“{text[:limit]}…”" if len(text) > limit else f"“{text}”"


def _resolving(forms, actors):
    return {f: sorted(a.name for a in actors if f in a.forms) for f in sorted(forms)}


def score(gold, drafts):
    """A Score for one GoldArticle against its Drafts."""
    counts = dict.fromkeys(MEASURES, Count(0, 0))
    misses = []

    def count(measure, ok):
        counts[measure] += Count(int(ok), 1)
        return ok

    disputed = gold.disputed
    for claim in gold.claims:
        draft = matched_draft(claim, drafts.claims)
        label = f"{claim.id} ({claim.claimant}) {_preview(claim.quote)}"
        if not count("claim recall", draft is not None):
            misses.append(Miss("claim not found", label))
        forms = frozenset().union(*(gold.actors[k].matching_forms for k in claim.claimants))
        right = draft is not None and draft.claimant is not None
        right = right and bool(forms & draft.claimant.forms)
        if not count("right claimant", right) and draft is not None:
            found = f"“{draft.claimant.name}”" if draft.claimant else "no claimant"
            misses.append(Miss("wrong claimant", f"{label}: draft #{draft.id} has {found}"))
        if claim.id in disputed:
            found = draft is not None and bool(draft.disputes)
            if not count("disputes", found) and draft is not None:
                by = ", ".join(c.id for c in gold.claims if c.disputes == claim.id)
                misses.append(
                    Miss(
                        "dispute missed",
                        f"{label} disputed by {by}: draft #{draft.id} has no disputing evidence",
                    )
                )

    known = frozenset().union(*(a.forms for a in drafts.actors))
    for actor in gold.actors.values():
        label = f"{actor.key} ({', '.join(actor.forms)})"
        if not count("actors", bool(actor.matching_forms & known)):
            misses.append(Miss("actor missed", label))
        forms = actor.surface_forms
        if len(forms) < 2:
            continue
        merged = any(forms <= a.forms for a in drafts.actors)
        if not count("alias merges", merged):
            found = "; ".join(
                f"{form} → {', '.join(names) or 'nothing'}"
                for form, names in _resolving(forms, drafts.actors).items()
            )
            misses.append(Miss("actor split", f"{actor.key}: {found}"))

    for draft in drafts.claims:
        hit = any(covered(p, c.span) for p in draft.supports for c in gold.claims)
        if not count("precision", hit):
            misses.append(
                Miss("false positive", f"#{draft.id} [{draft.rule}] {_preview(draft.statement)}")
            )
    return Score(gold.name, counts, misses)


def total(scores):
    """The figures over all articles: counts added up (each gold item weighs the same)."""
    counts = dict.fromkeys(MEASURES, Count(0, 0))
    for s in scores:
        for measure in MEASURES:
            counts[measure] += s.counts[measure]
    return Score("total", counts)
