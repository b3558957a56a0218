import pytest

from claims.filters import filter_claims
from claims.models import Claim, Evidence
from tests.factories import add_evidence, make_actor, make_claim, make_passage, make_source

pytestmark = pytest.mark.django_db


def statements(query, **kwargs):
    queryset, state = filter_claims(query, **kwargs)
    return sorted(c.statement for c in queryset), state


def test_filters_combine_and_only_published_are_returned():
    putin = make_actor("Vladimir Putin")
    a = make_claim("Putin visited Pyongyang.", claimant=putin)
    a.tags.add("visit")
    make_claim("A draft by Putin.", claimant=putin, status=Claim.Status.DRAFT)
    make_claim("Someone else spoke.")
    found, state = statements({"claimant": "vladimir-putin", "tag": "visit"})
    assert found == ["Putin visited Pyongyang."]
    assert state.params == {"claimant": "vladimir-putin", "tag": "visit"}


def test_disputed_filter_and_search_over_quotes():
    source = make_source()
    disputed = make_claim("Weapons were transferred.")
    add_evidence(disputed, make_passage(source, "Critics deny"), stance=Evidence.Stance.DISPUTES)
    make_claim("Talks were friendly.")
    assert statements({"disputed": "yes"})[0] == ["Weapons were transferred."]
    assert statements({"disputed": "no"})[0] == ["Talks were friendly."]
    assert statements({"q": "critics"})[0] == ["Weapons were transferred."]


def test_malformed_values_give_an_empty_result_and_a_message():
    make_claim()
    for query in ({"disputed": "maybe"}, {"kind": "<script>"}, {"sort": "x"}, {"q": "a\x00b"}):
        found, state = statements(query)
        assert found == []
        assert state.errors


def test_status_filter_only_where_allowed():
    make_claim("Draft one.", status=Claim.Status.DRAFT)
    make_claim("Public one.")
    assert statements({"status": "draft"})[0] == ["Public one."]
    assert statements({"status": "draft"}, allow_status=True)[0] == ["Draft one."]


def test_asserted_by_covers_the_claimant_and_actors_on_supporting_passages():
    washington, seoul, moscow = make_actor("Washington"), make_actor("Seoul"), make_actor("Moscow")
    charge = make_claim("Arms moved.", claimant=washington)
    add_evidence(charge, make_passage(), actors=[seoul])
    add_evidence(charge, make_passage(), stance=Evidence.Stance.DISPUTES, actors=[moscow])
    add_evidence(charge, make_passage(), actors=[washington])  # claimant on a passage: one row
    make_claim("Moscow's own claim.", claimant=moscow)
    assert statements({"asserted_by": "washington"})[0] == ["Arms moved."]
    assert statements({"asserted_by": "seoul"})[0] == ["Arms moved."]
    # disputing a claim is not asserting it
    assert statements({"asserted_by": "moscow"})[0] == ["Moscow's own claim."]
    assert statements({"disputed_by": "moscow"})[0] == ["Arms moved."]
    assert statements({"disputed_by": "seoul"})[0] == []
    found, state = statements({"disputed_by": "moscow", "asserted_by": "seoul"})
    assert found == ["Arms moved."]
    assert state.params == {"asserted_by": "seoul", "disputed_by": "moscow"}


def test_asserted_by_and_disputed_by_reject_hostile_values():
    make_claim()
    for query in ({"asserted_by": "a\x00b"}, {"disputed_by": "x" * 300}):
        found, state = statements(query)
        assert found == [] and state.errors
    assert statements({"disputed_by": "<script>"})[0] == []


def test_claim_list_labels_the_new_filters(client):
    moscow = make_actor("Moscow")  # public: it disputes a published claim
    add_evidence(make_claim("Talks were held."), stance=Evidence.Stance.DISPUTES, actors=[moscow])
    html = client.get("/claims/?disputed_by=moscow&asserted_by=nobody").content.decode()
    assert "Disputed by" in html and "Moscow" in html and "Asserted by" in html
