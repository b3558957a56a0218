"""Writes through the API: a draft claim with evidence by quote, more evidence, status moves.
Refused without a token and without the permission; the publishing rule holds; throttled; a
refused request changes nothing."""

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims.models import Claim, Evidence, Passage
from tests.api_client import token_client, user_in

QUOTE = "weapons were transferred in secret"


def new_claim(world, **extra):
    return {
        "statement": "Officials said the weapons moved in secret.",
        "kind": "allegation",
        "claimant": world.claimant.slug,
        "subjects": [world.subject.slug],
        "tags": ["arms transfer"],
        "evidence": [{"source": world.source_a.slug, "quote": QUOTE}],
        **extra,
    }


@pytest.fixture
def analyst(db):
    return user_in("Analyst")


def counts():
    return Claim.objects.count(), Evidence.objects.count(), Passage.objects.count()


def test_an_analyst_creates_a_draft_claim_with_evidence_by_quote(world, analyst):
    response = token_client(analyst).post(
        "/api/v1/claims/", new_claim(world, status="published"), format="json"
    )
    assert response.status_code == 201, response.content
    record = response.json()
    claim = Claim.objects.get(pk=record["id"])
    assert claim.status == Claim.Status.DRAFT  # never published by creating it
    assert claim.author == analyst
    assert claim.history.first().history_user == analyst
    [evidence] = record["evidence"]
    start = world.source_a.text.index(QUOTE)
    assert (evidence["passage"]["start"], evidence["passage"]["end"]) == (start, start + len(QUOTE))
    assert evidence["passage"]["id"] == world.supporting.pk  # the stored passage, reused
    assert APIClient().get(f"/api/v1/claims/{claim.pk}/").status_code == 404  # not public


def test_curly_quotes_in_the_quote_anchor_like_the_admins_form(world, analyst):
    body = new_claim(world)
    body["evidence"] = [{"source": world.source_b.slug, "quote": "A second report said weapons"}]
    response = token_client(analyst).post("/api/v1/claims/", body, format="json")
    assert response.status_code == 201
    assert response.json()["evidence"][0]["passage"]["text"] == "A second report said weapons"


@pytest.mark.parametrize(
    ("evidence", "message"),
    [
        ({"quote": "words the article never says"}, "does not occur"),
        ({"quote": "weapons were transferred"}, "add a prefix or suffix"),
        ({"quote": ""}, "blank"),
        ({"quote": "weapons\x00were"}, "Null characters"),
    ],
)
def test_a_quote_that_cannot_be_anchored_is_a_400_and_writes_nothing(
    world, analyst, evidence, message
):
    before = counts()
    body = new_claim(world)
    body["evidence"] = [
        {"source": world.source_a.slug, "quote": QUOTE},
        {"source": world.source_a.slug, **evidence},
    ]
    response = token_client(analyst).post("/api/v1/claims/", body, format="json")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert counts() == before


@pytest.mark.parametrize(
    "body",
    [
        {"statement": ""},
        {"statement": "   "},
        {"statement": "x" * 6000},
        {"statement": "Fine.", "claimant": "no-such-actor"},
        {"statement": "Fine.", "kind": "poem"},
        {"statement": "Fine.", "subjects": "not-a-list"},
        {"statement": "Fine.", "evidence": [{"source": "no-such-source", "quote": "x"}]},
        {"statement": "A NUL \x00 inside."},
    ],
)
def test_bad_claim_bodies_are_a_400_and_write_nothing(world, analyst, body):
    before = counts()
    response = token_client(analyst).post("/api/v1/claims/", body, format="json")
    assert response.status_code == 400
    assert response.json()
    assert counts() == before


def test_a_body_that_is_not_json_is_a_400(world, analyst):
    client = token_client(analyst)
    for data in (b"\xff\xfe binary", b"{not json", "ma\u00efs".encode("latin-1")):
        response = client.post("/api/v1/claims/", data, content_type="application/json")
        assert response.status_code == 400
    response = client.post("/api/v1/claims/", "statement=x", content_type="text/plain")
    assert response.status_code == 415


def test_writes_without_a_token_are_refused(world):
    before = counts()
    client = APIClient()
    assert client.post("/api/v1/claims/", new_claim(world), format="json").status_code == 401
    assert (
        client.post(
            f"/api/v1/claims/{world.draft.pk}/status/", {"status": "in_review"}, format="json"
        ).status_code
        == 401
    )
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    assert bad.post("/api/v1/claims/", new_claim(world), format="json").status_code == 401
    assert counts() == before


def test_writes_without_the_permission_are_refused(world):
    before = counts()
    nobody = token_client(User.objects.create_user("nobody", password="x-unused-9!"))
    assert nobody.post("/api/v1/claims/", new_claim(world), format="json").status_code == 403
    assert (
        nobody.post(
            f"/api/v1/claims/{world.draft.pk}/evidence/",
            {"source": world.source_b.slug, "quote": "Another paper reported it."},
            format="json",
        ).status_code
        == 403
    )
    assert (
        nobody.post(
            f"/api/v1/claims/{world.draft.pk}/status/", {"status": "in_review"}, format="json"
        ).status_code
        == 403
    )
    assert counts() == before
    world.draft.refresh_from_db()
    assert world.draft.status == Claim.Status.DRAFT


def test_a_revoked_token_no_longer_works(world, analyst):
    client = token_client(analyst)
    assert client.post("/api/v1/claims/", new_claim(world), format="json").status_code == 201
    Token.objects.filter(user=analyst).delete()  # what the admin's "delete token" does
    assert client.post("/api/v1/claims/", new_claim(world), format="json").status_code == 401


def test_tokens_are_listed_and_revocable_in_the_admin(admin_client, analyst):
    Token.objects.create(user=analyst)
    page = admin_client.get("/admin/authtoken/tokenproxy/")
    assert page.status_code == 200
    assert analyst.username in page.content.decode()


def test_adding_evidence_to_a_draft_and_submitting_it_for_review(world, analyst):
    client = token_client(analyst)
    response = client.post(
        f"/api/v1/claims/{world.draft.pk}/evidence/",
        {
            "source": world.source_b.slug,
            "quote": "Another paper reported it.",
            "stance": "disputes",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert [e["stance"] for e in response.json()["evidence"]].count("disputes") == 1
    again = client.post(
        f"/api/v1/claims/{world.draft.pk}/evidence/",
        {"source": world.source_b.slug, "quote": "Another paper reported it."},
        format="json",
    )
    assert again.status_code == 400
    assert "already evidence" in again.content.decode()
    moved = client.post(
        f"/api/v1/claims/{world.draft.pk}/status/", {"status": "in_review"}, format="json"
    )
    assert moved.status_code == 200
    assert moved.json()["status"] == "in_review"


def test_evidence_an_analyst_adds_to_a_published_claim_sends_it_back_to_review(world, analyst):
    response = token_client(analyst).post(
        f"/api/v1/claims/{world.claim.pk}/evidence/",
        {"source": world.source_b.slug, "quote": "Another paper reported it."},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["status"] == "in_review"
    world.claim.refresh_from_db()
    assert world.claim.status == Claim.Status.IN_REVIEW
    assert APIClient().get(f"/api/v1/claims/{world.claim.pk}/").status_code == 404


def test_evidence_a_reviewer_adds_to_a_published_claim_keeps_it_public(world):
    response = token_client(user_in("Reviewer")).post(
        f"/api/v1/claims/{world.claim.pk}/evidence/",
        {"source": world.source_b.slug, "quote": "Another paper reported it."},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["status"] == "published"
    assert APIClient().get(f"/api/v1/claims/{world.claim.pk}/").status_code == 200


def test_an_analyst_cannot_publish_through_the_api(world, analyst):
    client = token_client(analyst)
    client.post(f"/api/v1/claims/{world.draft.pk}/status/", {"status": "in_review"}, format="json")
    response = client.post(
        f"/api/v1/claims/{world.draft.pk}/status/", {"status": "published"}, format="json"
    )
    assert response.status_code == 403
    assert "permission" in response.json()["detail"]
    world.draft.refresh_from_db()
    assert world.draft.status == Claim.Status.IN_REVIEW
    assert APIClient().get(f"/api/v1/claims/{world.draft.pk}/").status_code == 404


def test_a_reviewer_publishes_what_another_wrote(world, analyst):
    created = token_client(analyst).post("/api/v1/claims/", new_claim(world), format="json")
    pk = created.json()["id"]
    token_client(analyst).post(
        f"/api/v1/claims/{pk}/status/", {"status": "in_review"}, format="json"
    )
    reviewer = token_client(user_in("Reviewer"))
    response = reviewer.post(f"/api/v1/claims/{pk}/status/", {"status": "published"}, format="json")
    assert response.status_code == 200
    assert APIClient().get(f"/api/v1/claims/{pk}/").json()["status"] == "published"


def test_two_person_review_holds_through_the_api(world, settings):
    settings.TWO_PERSON_REVIEW = True
    reviewer = user_in("Reviewer")
    client = token_client(reviewer)
    pk = client.post("/api/v1/claims/", new_claim(world), format="json").json()["id"]
    client.post(f"/api/v1/claims/{pk}/status/", {"status": "in_review"}, format="json")
    response = client.post(f"/api/v1/claims/{pk}/status/", {"status": "published"}, format="json")
    assert response.status_code == 409
    assert "two-person review" in response.json()["detail"]
    assert Claim.objects.get(pk=pk).status == Claim.Status.IN_REVIEW


def test_a_move_the_workflow_does_not_allow_is_a_409(world, analyst):
    response = token_client(analyst).post(
        f"/api/v1/claims/{world.claim.pk}/status/", {"status": "in_review"}, format="json"
    )
    assert response.status_code == 409
    assert "cannot move" in response.json()["detail"]
    bogus = token_client(analyst).post(
        f"/api/v1/claims/{world.claim.pk}/status/", {"status": "draft"}, format="json"
    )
    assert bogus.status_code == 400


def test_writes_are_throttled(world, analyst, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "api_writes": "2/minute",
        },
    }
    from rest_framework.throttling import SimpleRateThrottle

    SimpleRateThrottle.THROTTLE_RATES = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    try:
        cache.clear()
        client = token_client(analyst)
        codes = [
            client.post("/api/v1/claims/", new_claim(world), format="json").status_code
            for _ in range(3)
        ]
        assert codes == [201, 201, 429]
        assert client.get("/api/v1/claims/").status_code == 200  # reads have their own rate
    finally:
        from rest_framework.settings import api_settings

        SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
