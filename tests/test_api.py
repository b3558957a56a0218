"""The read API, /api/v1/: published-only for anonymous callers, the list's filters, keyset
pagination, stable ids and permalinks, constant queries, and an OpenAPI schema that describes
what the endpoints return."""

import pytest
from django.contrib.auth.models import User

from claims.models import Claim, Evidence
from tests.api_client import token_client, user_in
from tests.factories import add_evidence, make_actor, make_claim, make_passage
from tests.reader_world import more_claims

KINDS = ("claims", "actors", "events", "sources", "passages", "evidence")


@pytest.fixture
def hidden(world):
    """One record of each kind that only a draft claim references: none may be public."""
    actor = make_actor("Hidden Minister")
    passage = make_passage(quote="Leaders met in the capital.")
    draft = make_claim("The hidden minister resigned.", status=Claim.Status.DRAFT, claimant=actor)
    evidence = add_evidence(draft, passage, actors=[actor])
    return {
        "claims": draft.pk,
        "actors": actor.pk,
        "sources": passage.source_id,
        "passages": passage.pk,
        "evidence": evidence.pk,
        "events": None,
    }


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.mark.parametrize("kind", KINDS)
def test_anonymous_callers_get_only_public_records_from_every_endpoint(client, world, hidden, kind):
    listed = ids(client.get(f"/api/v1/{kind}/?limit=100"))
    assert listed, f"the world has public {kind}"
    if hidden[kind] is not None:
        assert hidden[kind] not in listed
        assert client.get(f"/api/v1/{kind}/{hidden[kind]}/").status_code == 404
    for pk in listed:
        assert client.get(f"/api/v1/{kind}/{pk}/").status_code == 200


def test_an_analyst_with_a_token_also_reads_drafts(world, hidden):
    analyst = token_client(user_in("Analyst"))
    assert hidden["claims"] in ids(analyst.get("/api/v1/claims/?limit=100"))
    draft = analyst.get(f"/api/v1/claims/{hidden['claims']}/").json()
    assert draft["status"] == "draft"
    assert (
        ids(analyst.get("/api/v1/claims/?status=draft")) == [world.draft.pk, hidden["claims"]][::-1]
    )


def test_a_status_filter_from_an_anonymous_caller_shows_no_draft(client, world, hidden):
    assert ids(client.get("/api/v1/claims/?status=draft")) == [world.claim.pk]


def test_a_claim_record_has_its_permalink_dispute_state_and_evidence_offsets(client, world):
    record = client.get(f"/api/v1/claims/{world.claim.pk}/").json()
    assert record["id"] == world.claim.pk
    assert record["url"] == f"http://testserver/claims/{world.claim.slug}/"
    assert record["api_url"] == f"http://testserver/api/v1/claims/{world.claim.pk}/"
    assert record["claimant"]["name"] == "Officials"
    assert [s["name"] for s in record["subjects"]] == ["North Korea", "Russia"]
    assert record["tags"] == ["arms transfer"]
    assert record["disputed"] is True
    assert sorted(record["disputed_by"]) == ["North Korea", "Russia"]
    assert record["supporting_sources"] == 2
    disputing = [e for e in record["evidence"] if e["stance"] == "disputes"]
    passage = disputing[0]["passage"]
    source_text = world.source_a.text
    assert source_text[passage["start"] : passage["end"]] == passage["text"]
    assert passage["text"] == "deny that any weapons were transferred"
    assert client.get(record["url"]).status_code == 200


def test_the_claims_endpoint_takes_the_public_lists_filters(client, world):
    other = make_claim("An undisputed claim about the weather.")
    add_evidence(other)
    assert ids(client.get("/api/v1/claims/?disputed=yes")) == [world.claim.pk]
    assert ids(client.get("/api/v1/claims/?disputed=no")) == [other.pk]
    assert ids(client.get(f"/api/v1/claims/?claimant={world.claimant.slug}")) == [world.claim.pk]
    assert ids(client.get("/api/v1/claims/?tag=arms-transfer")) == [world.claim.pk]
    assert ids(client.get(f"/api/v1/claims/?source={world.source_b.slug}")) == [world.claim.pk]
    assert ids(client.get("/api/v1/claims/?q=weather")) == [other.pk]


@pytest.mark.parametrize(
    "query",
    [
        "disputed=maybe",
        "kind=poem",
        "sort=corroborated",
        "sort=sideways",
        "claimant=%00",
        "cursor=not-a-cursor",
        "cursor=WzEsMl0",  # base64 of [1,2]: right length, wrong types
        "limit=0",
        "limit=1000",
        "limit=%C2%B2",
    ],
)
def test_a_malformed_query_is_a_400_that_says_what_is_wrong(client, world, query):
    response = client.get(f"/api/v1/claims/?{query}")
    assert response.status_code == 400
    assert response.json()


def test_pages_follow_the_lists_order_without_gaps_or_repeats(client, world):
    more_claims(world, 12)
    everything = ids(client.get("/api/v1/claims/?limit=100"))
    seen, url = [], "/api/v1/claims/?limit=5"
    while url:
        page = client.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert seen == everything
    assert len(everything) == 13
    expected = list(
        Claim.objects.published().order_by("-created_at", "-id").values_list("pk", flat=True)
    )
    assert everything == expected
    oldest = ids(client.get("/api/v1/claims/?sort=oldest&limit=100"))
    assert oldest == expected[::-1]


def test_claims_created_in_the_same_instant_page_by_id(client, world):
    more_claims(world, 6)
    Claim.objects.update(created_at=world.claim.created_at)
    seen, url = [], "/api/v1/claims/?limit=2"
    while url:
        page = client.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert seen == sorted(Claim.objects.published().values_list("pk", flat=True), reverse=True)


def test_a_public_actor_never_names_a_non_public_affiliation(client, world):
    secret = make_actor("Secret Committee")
    world.claimant.affiliation = secret
    world.claimant.save()
    record = client.get(f"/api/v1/actors/{world.claimant.pk}/").json()
    assert record["affiliation"] is None
    assert "Secret Committee" not in client.get("/api/v1/actors/?limit=100").content.decode()


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        ("/api/v1/claims/", 4),
        ("/api/v1/actors/", 3),
        ("/api/v1/events/", 3),
        ("/api/v1/sources/", 2),
        ("/api/v1/passages/", 2),
        ("/api/v1/evidence/", 3),
    ],
)
def test_each_list_runs_the_same_queries_for_few_rows_as_for_many(
    client, world, django_assert_num_queries, path, queries
):
    with django_assert_num_queries(queries):
        client.get(path)
    more_claims(world, 20)
    with django_assert_num_queries(queries):
        response = client.get(path)
    assert response.status_code == 200


def test_a_claim_record_costs_the_same_queries_whatever_its_evidence(
    client, world, django_assert_num_queries
):
    with django_assert_num_queries(3):
        client.get(f"/api/v1/claims/{world.claim.pk}/")
    for i in range(5):
        passage = make_passage(quote="Critics deny that any deal was signed.")
        add_evidence(world.claim, passage, stance=Evidence.Stance.DISPUTES, actors=world.disputers)
        assert passage.pk and i >= 0
    with django_assert_num_queries(3):
        response = client.get(f"/api/v1/claims/{world.claim.pk}/")
    assert len(response.json()["evidence"]) == 8


def test_article_text_is_returned_as_data_never_altered(client, world):
    claim = make_claim('<script>alert(1)</script> =HYPERLINK("http://x")')
    add_evidence(claim)
    record = client.get(f"/api/v1/claims/{claim.pk}/")
    assert record["Content-Type"] == "application/json"
    assert record.json()["statement"] == '<script>alert(1)</script> =HYPERLINK("http://x")'


def test_the_openapi_schema_describes_every_key_the_endpoints_return(client, world):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    components = schema["components"]["schemas"]

    def described(value, component):
        spec = components[component]
        assert set(value) <= set(spec["properties"]), (
            component,
            set(value) - set(spec["properties"]),
        )
        for key, item in value.items():
            prop = spec["properties"][key]
            ref = prop.get("$ref") or (prop.get("allOf") or [{}])[0].get("$ref")
            items = prop.get("items", {}).get("$ref")
            if ref and isinstance(item, dict):
                described(item, ref.rsplit("/", 1)[1])
            if items and isinstance(item, list):
                for element in item:
                    described(element, items.rsplit("/", 1)[1])

    described(client.get(f"/api/v1/claims/{world.claim.pk}/").json(), "ClaimDetailOut")
    described(client.get("/api/v1/claims/").json()["results"][0], "ClaimOut")
    for kind, component in (
        ("actors", "ActorOut"),
        ("events", "EventOut"),
        ("sources", "SourceOut"),
        ("passages", "PassageOut"),
        ("evidence", "EvidenceOut"),
    ):
        described(client.get(f"/api/v1/{kind}/").json()["results"][0], component)
    assert {"/api/v1/claims/", "/api/v1/changes/", "/api/v1/claims/{id}/status/"} <= set(
        schema["paths"]
    )


def test_the_api_doc_page_is_served_with_its_scripts_from_this_site(client, db):
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "swagger-ui" in html
    assert "https://" not in html.replace("https://schema", "")
    script = client.get("/api/v1/docs/?script")
    assert script.status_code == 200
    assert b"openapi.json" in script.content


def test_a_session_user_without_view_permission_sees_only_public_claims(client, world):
    user = User.objects.create_user("reader", password="x-unused-9!")
    client.force_login(user)
    assert ids(client.get("/api/v1/claims/?limit=100")) == [world.claim.pk]
