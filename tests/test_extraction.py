"""Extraction proposes actors, claims, disputes and events as drafts an analyst can filter."""

import pytest

from claims.ingest.extraction import Gazetteer, extract
from claims.ingest.quality import measure
from claims.ingest.reading import article_from_text
from claims.ingest.writer import ingest_article
from claims.models import Actor, Claim, Event, Evidence
from claims.seeding import SEEDS_DIR
from claims.text import normalize_alias

ALIASES = {
    "Kremlin": "kremlin",
    "the Kremlin": "kremlin",
    "Vladimir Putin": "putin",
    "Putin": "putin",
    "Russia": "russia",
    "Seoul": "south-korea",
    "Washington": "us",
    "US": "us",
    "North Korea": "north-korea",
    "Kim Jong Un": "kim",
}
GAZETTEER = Gazetteer.build(
    {normalize_alias(k): v for k, v in ALIASES.items()}, {"putin": "person", "kim": "person"}
)


def claims_of(text):
    return extract(text, GAZETTEER).claims


@pytest.mark.parametrize(
    "sentence, claimant, rule",
    [
        ("Putin said the talks with North Korea were a success.", "putin", "reported"),
        (
            "According to the Kremlin, the visit strengthened ties with North Korea.",
            "kremlin",
            "according-to",
        ),
        (
            'The visit is being described by the Kremlin as a "friendly state visit."',
            "kremlin",
            "attribution",
        ),
        ("Putin emphasizes that Russia will stand by North Korea.", "putin", "reported"),
        ("Putin has expressed gratitude to North Korea for its backing.", "putin", "reported"),
    ],
)
def test_attributed_sentences_become_claims_by_their_speaker(sentence, claimant, rule):
    (claim,) = claims_of(sentence)
    assert (claim.claimant, claim.rule) == (claimant, rule)
    assert claim.kind == "attributed_statement" and claim.support == (0, len(sentence))
    assert 0 < claim.confidence <= 1


@pytest.mark.parametrize(
    "sentence",
    [
        "Putin is expected to travel to Vietnam after the visit.",
        "The leaders may make joint statements and release an agreement.",
        "Kim Jong Un will likely meet other leaders during the summit.",
    ],
)
def test_hedged_and_future_statements_are_predictions(sentence):
    (claim,) = claims_of(sentence)
    assert claim.kind == "prediction" and claim.claimant is None


def test_pronoun_speaker_resolves_to_the_last_person_named():
    text = "Putin spoke for an hour today.\nHe agrees to strengthen trade with North Korea."
    assert claims_of(text)[-1].claimant == "putin"


def test_refuted_claims_yield_a_claim_by_the_accuser_disputed_by_the_refuter():
    text = (
        "Russia and North Korea refute claims made by Seoul and Washington over the transfer "
        "of weapons."
    )
    claim, denial = sorted(claims_of(text), key=lambda c: c.rule)
    assert (denial.kind, denial.claimant, denial.support_actors) == (
        "denial",
        "russia",
        ("russia", "north-korea"),
    )
    assert claim.rule == "dispute" and claim.kind == "allegation"
    assert claim.support_actors == ("south-korea", "us")
    assert claim.dispute_actors == ("russia", "north-korea")
    assert text[slice(*claim.support)].startswith("claims made by Seoul")
    assert claim.dispute == (0, len(text))


def test_sentences_without_actors_or_hedges_and_questions_are_not_claims():
    assert claims_of("The weather was pleasant all week long in the city.") == []
    assert claims_of("Will Putin visit North Korea again next year?") == []


def test_titled_unknown_names_become_candidates_and_events_get_their_years():
    text = (
        "Foreign Minister Sergei Lavrov said Russia backs the deal.\n"
        "The Korean War (1950-1953) shaped the region, and Putin's 2000 meeting with Kim Jong Un "
        "was a first."
    )
    result = extract(text, GAZETTEER)
    assert [c.name for c in result.candidates.values()] == ["Sergei Lavrov"]
    assert result.claims[0].claimant == "new:sergei lavrov"
    events = {(e.title, e.start_year, e.end_year) for e in result.events}
    assert ("Korean War", 1950, 1953) in events
    assert ("{0} meeting with {1}", 2000, None) in events


def test_extraction_on_the_seeds_meets_the_quality_targets():
    figures, missed_actors = measure(SEEDS_DIR)
    assert missed_actors == []
    assert all(f.passed for f in figures), [(f.name, round(f.value, 2)) for f in figures]


@pytest.mark.django_db
def test_seed_000_dispute_is_ingested_with_claimants_and_disputers(seeded):
    path = SEEDS_DIR / "000_0c39241ef8cb2f7f.txt"
    # A new edition of the seed article (one more line), so it is a new source.
    raw = path.read_text(encoding="utf-8") + "\nEdited later."
    result = ingest_article(article_from_text(raw, name=path.name))
    disputes = Claim.objects.filter(
        evidence__passage__source=result.source, extraction_rule="dispute"
    ).distinct()
    (claim,) = disputes  # the paragraph is repeated in the article, the claim is not
    assert claim.status == Claim.Status.DRAFT
    supports = claim.evidence.get(stance=Evidence.Stance.SUPPORTS)
    disputing = claim.evidence.get(stance=Evidence.Stance.DISPUTES)
    assert {a.slug for a in supports.actors.all()} == {"south-korea", "united-states"}
    assert claim.claimant.slug in {"south-korea", "united-states"}
    assert {a.slug for a in disputing.actors.all()} == {"russia", "north-korea"}
    assert disputing.passage.text.startswith("Russia and North Korea refute claims made by")
    assert disputing.passage.repeat_of is None
    assert not Claim.objects.filter(extraction_rule__gt="").exclude(status="draft").exists()
    # Every seed actor was known: a new candidate never duplicates one (its name is its own).
    for candidate in Actor.objects.filter(reviewed=False):
        assert Actor.resolve(candidate.name) == candidate
    assert Event.objects.filter(extraction_rule="meeting", start_date__year=2000).exists()


@pytest.mark.parametrize(
    "text, names",
    [
        (
            "Foreign Minister Sergei Lavrov said so. President Joe Biden agreed.",
            ["Sergei Lavrov", "Joe Biden"],
        ),
        ("xPresident Joe Biden said so.", []),
        ("Spokesman John Kirby and spokeswoman Karine Jean Pierre, Dr. Jane Goodall.", None),
    ],
)
def test_titles_count_only_as_whole_words(text, names):
    from claims.ingest.mentions import find_names

    titled = [n.name for n in find_names(text, 0, len(text)) if n.rule == "titled"]
    assert titled == (names if names is not None else ["John Kirby", "Jane Goodall"])
