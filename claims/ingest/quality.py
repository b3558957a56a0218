"""Measure extraction against the curated seed annotations (pure: files in, figures out).

The gazetteer comes from the annotations' actors and aliases, never from extraction itself.
A claim is found when an extracted claim's passage overlaps one of its evidence passages in
the same article; an extracted claim is right when it overlaps some annotated claim's passage.
"""

from dataclasses import dataclass
from pathlib import Path

from claims.anchoring import find_quote
from claims.ingest.extraction import Gazetteer, extract
from claims.seeding import SEEDS_DIR, read_annotations, read_texts
from claims.text import normalize_alias

# The seeds' figures before issue 16's extractor: the new one must not drop below them.
TARGETS = {
    "claim recall": 0.98,
    "claim precision": 0.74,
    "dispute recall": 1.0,
    "actor recall": 1.0,
}


@dataclass(frozen=True)
class Figure:
    name: str
    found: int
    total: int

    @property
    def value(self):
        return self.found / self.total if self.total else 1.0

    @property
    def target(self):
        return TARGETS.get(self.name)

    @property
    def passed(self):
        return self.target is None or self.value >= self.target


def annotation_gazetteer(data):
    aliases, kinds = {}, {}
    for actor in data["actors"]:
        for name in [actor["name"], *actor.get("aliases", [])]:
            aliases.setdefault(normalize_alias(name), actor["slug"])
        kinds[actor["slug"]] = actor["kind"]
    return Gazetteer.build(aliases, kinds)


def _overlaps(a, b):
    return a[0] < b[1] and b[0] < a[1]


def measure(seeds_dir=SEEDS_DIR):
    data = read_annotations(seeds_dir)
    texts, problems = read_texts(data, seeds_dir)
    if problems:
        raise ValueError("; ".join(problems))
    gazetteer = annotation_gazetteer(data)
    extracted = {key: extract(text, gazetteer) for key, text in texts.items()}

    annotated = []  # (claim, [(source, span, stance, actors)])
    for claim in data["claims"]:
        spans = []
        for ev in claim["evidence"]:
            anchor = find_quote(
                texts[ev["source"]], ev["quote"], ev.get("prefix", ""), ev.get("suffix", "")
            )
            spans.append(
                (ev["source"], (anchor.start, anchor.end), ev.get("stance"), ev.get("actors", []))
            )
        annotated.append((claim, spans))

    proposals = [
        (key, c, [c.support] + ([c.dispute] if c.dispute else []))
        for key, result in extracted.items()
        for c in result.claims
    ]

    def matches(spans, key, proposed):
        return any(src == key and _overlaps(s, p) for src, s, *_ in spans for p in proposed)

    found_claims = sum(any(matches(sp, k, ps) for k, _, ps in proposals) for _, sp in annotated)
    right_claims = sum(any(matches(sp, k, ps) for _, sp in annotated) for k, _, ps in proposals)

    disputes = [
        (claim, src, span, set(actors))
        for claim, spans in annotated
        for src, span, stance, actors in spans
        if stance == "disputes"
    ]
    found_disputes = 0
    for claim, src, span, disputers in disputes:
        for key, c, _ in proposals:
            if key != src or not c.dispute or not _overlaps(c.dispute, span):
                continue
            claimants = {c.claimant, *c.support_actors}
            if set(c.dispute_actors) == disputers and claim.get("claimant") in claimants:
                found_disputes += 1
                break

    seen = set().union(*(r.actors for r in extracted.values()))
    known = {a["slug"] for a in data["actors"]}
    return [
        Figure("claim recall", found_claims, len(annotated)),
        Figure("claim precision", right_claims, len(proposals)),
        Figure("dispute recall", found_disputes, len(disputes)),
        Figure("actor recall", len(known & seen), len(known)),
        Figure("actor precision", len(known & seen), len(seen)),
    ], sorted(known - seen)


def seeds_dir_default():
    return Path(SEEDS_DIR)
