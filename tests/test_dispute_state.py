import pytest

from claims.models import Claim, Evidence
from tests.factories import add_evidence, make_actor, make_claim, make_passage, make_source

pytestmark = pytest.mark.django_db


def annotated(claim):
    return Claim.objects.with_dispute_state().get(pk=claim.pk)


def test_claim_without_disputing_evidence_is_not_disputed():
    claim = make_claim()
    add_evidence(claim)
    state = annotated(claim)
    assert state.is_disputed is False
    assert state.disputed_by == ""
    assert state.supporting_sources == 1


def test_disputing_evidence_makes_the_claim_disputed_and_names_the_disputers():
    claim = make_claim()
    add_evidence(claim)
    russia, dprk = make_actor("Russia"), make_actor("North Korea")
    add_evidence(claim, stance=Evidence.Stance.DISPUTES, actors=[russia, dprk])
    state = annotated(claim)
    assert state.is_disputed is True
    assert sorted(state.disputed_by.split("; ")) == ["North Korea", "Russia"]


def test_disputer_named_in_two_passages_is_listed_once():
    claim = make_claim()
    russia = make_actor("Russia, the Federation")
    add_evidence(claim, stance=Evidence.Stance.DISPUTES, actors=[russia])
    add_evidence(claim, stance=Evidence.Stance.DISPUTES, actors=[russia])
    assert annotated(claim).disputed_by == "Russia, the Federation"


def test_removing_the_dispute_clears_the_state():
    claim = make_claim()
    evidence = add_evidence(claim, stance=Evidence.Stance.DISPUTES)
    assert annotated(claim).is_disputed
    evidence.delete()
    assert not annotated(claim).is_disputed


def test_supporting_sources_counts_distinct_sources():
    claim = make_claim()
    one, two = make_source(), make_source()
    add_evidence(claim, make_passage(one, "Leaders met"))
    add_evidence(claim, make_passage(one, "the talks were friendly"))
    add_evidence(claim, make_passage(two, "Leaders met"))
    add_evidence(
        claim, make_passage(make_source(), "Critics deny"), stance=Evidence.Stance.DISPUTES
    )
    assert annotated(claim).supporting_sources == 2


def test_only_published_claims_are_public():
    published = make_claim(status=Claim.Status.PUBLISHED)
    for status in ("draft", "in_review", "withdrawn"):
        make_claim(status=status)
    assert list(Claim.objects.published()) == [published]


def test_dispute_state_costs_one_query_whatever_the_number_of_claims(django_assert_num_queries):
    for _ in range(3):
        claim = make_claim()
        add_evidence(claim, stance=Evidence.Stance.DISPUTES, actors=[make_actor()])
    with django_assert_num_queries(1):
        rows = [
            (c.is_disputed, c.disputed_by, c.supporting_sources)
            for c in Claim.objects.with_dispute_state()
        ]
    for _ in range(10):
        claim = make_claim()
        add_evidence(claim)
    with django_assert_num_queries(1):
        rows = [
            (c.is_disputed, c.disputed_by, c.supporting_sources)
            for c in Claim.objects.with_dispute_state()
        ]
    assert len(rows) == 13


def test_claim_slug_and_url_come_from_the_statement():
    claim = make_claim("Russia and North Korea signed a pact.")
    twin = make_claim("Russia and North Korea signed a pact.")
    assert claim.get_absolute_url() == "/claims/russia-and-north-korea-signed-a-pact/"
    assert twin.slug == "russia-and-north-korea-signed-a-pact-2"


def test_publishing_records_the_time():
    claim = make_claim(status=Claim.Status.DRAFT)
    assert claim.published_at is None
    claim.status = Claim.Status.PUBLISHED
    claim.save()
    assert claim.published_at is not None
