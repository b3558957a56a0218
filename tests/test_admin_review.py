"""The review workflow in the admin: who may publish, two-person review, and bulk actions."""

import pytest

from claims.models import Claim
from tests.admin_forms import act, claim_data, login
from tests.factories import make_claim

pytestmark = pytest.mark.django_db

LIST = "/admin/claims/claim/"
Status = Claim.Status


def _statuses(claims):
    return [Claim.objects.get(pk=c.pk).status for c in claims]


def test_bulk_submit_then_publish_by_a_reviewer(client):
    login(client, groups=("Reviewer",))
    claims = [make_claim(status=Status.DRAFT) for _ in range(3)]
    response = act(client, "submit_for_review", claims)
    assert "Submitted for review 3 claims." in response.content.decode()
    assert _statuses(claims) == [Status.IN_REVIEW] * 3
    act(client, "publish", claims)
    assert _statuses(claims) == [Status.PUBLISHED] * 3
    assert all(Claim.objects.get(pk=c.pk).published_at for c in claims)


def test_publish_skips_claims_not_in_review_and_says_why(client):
    login(client, groups=("Reviewer",))
    draft, ready = make_claim(status=Status.DRAFT), make_claim(status=Status.IN_REVIEW)
    body = act(client, "publish", [draft, ready]).content.decode()
    assert "Published 1 claim." in body
    assert "Skipped 1 claim: draft cannot move to published." in body
    assert _statuses([draft, ready]) == [Status.DRAFT, Status.PUBLISHED]


def test_analyst_cannot_publish_in_bulk_or_in_the_form(client):
    login(client, groups=("Analyst",))
    claim = make_claim(status=Status.IN_REVIEW)
    choices = [c[0] for c in client.get(LIST).context["action_form"].fields["action"].choices]
    assert "publish" not in choices and "submit_for_review" in choices
    act(client, "publish", [claim])
    assert _statuses([claim]) == [Status.IN_REVIEW]
    data = claim_data(claim, status=Status.PUBLISHED)
    response = client.post(f"{LIST}{claim.pk}/change/", data)
    assert response.status_code == 200
    assert "Can publish claims" in response.content.decode()
    assert _statuses([claim]) == [Status.IN_REVIEW]


def test_form_refuses_skipping_review(client):
    login(client, groups=("Reviewer",))
    claim = make_claim(status=Status.DRAFT)
    response = client.post(f"{LIST}{claim.pk}/change/", claim_data(claim, status=Status.PUBLISHED))
    assert "cannot go from Draft to Published" in response.content.decode()
    assert _statuses([claim]) == [Status.DRAFT]


def test_two_person_review_refuses_publishing_your_own_claim(client, settings):
    settings.TWO_PERSON_REVIEW = True
    author = login(client, groups=("Reviewer",))
    response = client.post(f"{LIST}add/", claim_data(statement="Mine alone."))
    assert response.status_code == 302
    claim = Claim.objects.get(statement="Mine alone.")
    assert claim.author == author
    act(client, "submit_for_review", [claim])
    body = act(client, "publish", [claim]).content.decode()
    assert "two-person review" in body
    claim.refresh_from_db()
    response = client.post(f"{LIST}{claim.pk}/change/", claim_data(claim, status=Status.PUBLISHED))
    assert "two-person review is on" in response.content.decode()
    assert _statuses([claim]) == [Status.IN_REVIEW]

    client.logout()
    login(client, username="other", groups=("Reviewer",))
    act(client, "publish", [claim])
    assert _statuses([claim]) == [Status.PUBLISHED]


def test_two_person_review_off_lets_the_author_publish(client, settings):
    settings.TWO_PERSON_REVIEW = False
    user = login(client, groups=("Reviewer",))
    claim = make_claim(status=Status.IN_REVIEW, author=user)
    act(client, "publish", [claim])
    assert _statuses([claim]) == [Status.PUBLISHED]


def test_withdraw_any_published_claim(client):
    login(client, groups=("Analyst",))
    claims = [make_claim(status=Status.PUBLISHED), make_claim(status=Status.WITHDRAWN)]
    body = act(client, "withdraw", claims).content.decode()
    assert "Withdrew 1 claim." in body and "already withdrawn" in body
    assert _statuses(claims) == [Status.WITHDRAWN] * 2


def test_bulk_status_change_is_in_history_with_the_user(client):
    user = login(client, groups=("Analyst",))
    claim = make_claim(status=Status.DRAFT)
    act(client, "submit_for_review", [claim])
    last = claim.history.order_by("-history_date").first()
    assert last.status == Status.IN_REVIEW and last.history_user == user


def test_add_and_remove_tags_in_bulk(client):
    login(client, groups=("Analyst",))
    claims = [make_claim(), make_claim()]
    act(client, "add_tags", claims, tags="nuclear, Korea ")
    assert all(sorted(t.name for t in c.tags.all()) == ["Korea", "nuclear"] for c in claims)
    act(client, "remove_tags", claims, tags="nuclear")
    assert all([t.name for t in c.tags.all()] == ["Korea"] for c in claims)


def test_tag_actions_without_tags_say_what_to_do(client):
    login(client, groups=("Analyst",))
    claim = make_claim()
    body = act(client, "add_tags", [claim], tags="  ").content.decode()
    assert "Type the tags" in body
    assert not claim.tags.exists()


def test_new_claim_records_its_author(client):
    user = login(client)
    client.post(f"{LIST}add/", claim_data(statement="Written here."))
    assert Claim.objects.get().author == user


def test_export_selected_claims_as_csv_gives_only_those_claims_in_any_status(client):
    import csv
    import io

    login(client, groups=("Analyst",))
    draft = make_claim('=HYPERLINK("http://evil") a draft', status=Status.DRAFT)
    published = make_claim("A published claim, with a comma.", status=Status.PUBLISHED)
    make_claim("Not selected.", status=Status.PUBLISHED)
    response = client.post(
        LIST,
        {"action": "export_csv", "_selected_action": [draft.pk, published.pk], "index": 0},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "claims-selected" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert sorted(r["statement"] for r in rows) == [
        '\'=HYPERLINK("http://evil") a draft',
        "A published claim, with a comma.",
    ]
    assert {r["status"] for r in rows} == {"draft", "published"}
    urls = {r["status"]: r["url"] for r in rows}
    assert urls["published"] == f"http://testserver/claims/{published.slug}/"
    # A draft's public URL would answer 404: its admin page instead.
    assert urls["draft"] == f"http://testserver/admin/claims/claim/{draft.pk}/change/"
