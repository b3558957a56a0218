"""History in the admin (who, when, which fields), restoring deleted claims, no lost updates."""

import pytest

from claims.models import Actor, Claim, Event, Evidence, Passage, Source
from tests.admin_forms import act, claim_data, login
from tests.factories import add_evidence, make_actor, make_claim, make_event, make_passage

pytestmark = pytest.mark.django_db

LIST = "/admin/claims/claim/"


def test_claim_history_page_shows_user_and_field_diff(client):
    user = login(client, username="hana", groups=("Analyst",))
    claim = make_claim("Old words.", status=Claim.Status.DRAFT)
    response = client.post(f"{LIST}{claim.pk}/change/", claim_data(claim, statement="New words."))
    assert response.status_code == 302
    body = client.get(f"{LIST}{claim.pk}/history/").content.decode()
    assert "hana" in body and "Old words." in body and "New words." in body
    last = claim.history.order_by("-history_date").first()
    assert last.history_user == user
    delta = last.diff_against(last.prev_record)
    assert [c.field for c in delta.changes if c.field == "statement"] == ["statement"]


@pytest.mark.parametrize(
    "make, url",
    [
        (lambda: make_actor("Anyone"), "/admin/claims/actor/{}/history/"),
        (lambda: make_event("Some event"), "/admin/claims/event/{}/history/"),
        (lambda: make_passage().source, "/admin/claims/source/{}/history/"),
        (lambda: add_evidence(make_claim(), make_passage()), "/admin/claims/evidence/{}/history/"),
    ],
)
def test_every_model_has_a_history_page(client, make, url):
    login(client, groups=("Analyst",))
    obj = make()
    response = client.get(url.format(obj.pk))
    assert response.status_code == 200
    assert obj.history.count() >= 1


def test_deletes_are_recorded(client):
    login(client, superuser=True)
    claim = make_claim()
    add_evidence(claim, make_passage())
    response = client.post(f"{LIST}{claim.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert Claim.history.filter(id=claim.pk, history_type="-").exists()
    assert Evidence.history.filter(claim_id=claim.pk, history_type="-").exists()
    for model in (Actor, Event, Source, Passage):
        assert model.history.model  # history tables exist for every model


def test_deleted_claim_is_restored_with_subjects_and_evidence(client):
    login(client, superuser=True)
    subject = make_actor("Subject")
    claim = make_claim("Restore me.", status=Claim.Status.DRAFT)
    claim.subjects.add(subject)
    passage = make_passage()
    add_evidence(claim, passage, stance=Evidence.Stance.DISPUTES, actors=[subject])
    pk = claim.pk
    client.post(f"{LIST}{pk}/delete/", {"post": "yes"})
    assert not Claim.objects.filter(pk=pk).exists()

    listing = client.get(f"{LIST}deleted/").content.decode()
    assert "Restore me." in listing
    response = client.post(f"{LIST}deleted/{pk}/restore/")
    assert response.status_code == 302 and response.url == f"{LIST}{pk}/change/"
    restored = Claim.objects.get(pk=pk)
    assert restored.statement == "Restore me." and list(restored.subjects.all()) == [subject]
    evidence = restored.evidence.get()
    assert evidence.passage == passage and list(evidence.actors.all()) == [subject]
    assert "No deleted claims." in client.get(f"{LIST}deleted/").content.decode()


def test_restoring_an_existing_claim_is_refused(client):
    login(client, superuser=True)
    claim = make_claim()
    response = client.post(f"{LIST}deleted/{claim.pk}/restore/", follow=True)
    assert "nothing to restore" in response.content.decode()


def test_restore_needs_post(client):
    login(client, superuser=True)
    assert client.get(f"{LIST}deleted/1/restore/").status_code == 403


def test_second_save_of_a_stale_form_is_refused_showing_the_change(client):
    claim = make_claim("Version one.", status=Claim.Status.DRAFT)
    stale = claim_data(claim, statement="My edit.")  # analyst A loaded the form

    login(client, username="bob", groups=("Analyst",))  # analyst B saves first
    client.post(f"{LIST}{claim.pk}/change/", claim_data(claim, statement="Bob's edit."))
    claim.refresh_from_db()
    assert claim.statement == "Bob's edit."

    client.logout()
    login(client, username="alice", groups=("Analyst",))
    response = client.post(f"{LIST}{claim.pk}/change/", stale)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone saved this claim by bob while you were editing it" in body
    assert "“Version one.” → “Bob&#x27;s edit.”" in body
    claim.refresh_from_db()
    assert claim.statement == "Bob's edit."


def test_bulk_action_also_makes_an_open_form_stale(client):
    login(client, groups=("Analyst",))
    claim = make_claim(status=Claim.Status.DRAFT)
    stale = claim_data(claim, statement="Edited.")
    client.post(LIST, {"action": "submit_for_review", "_selected_action": [claim.pk], "index": 0})
    response = client.post(f"{LIST}{claim.pk}/change/", stale)
    body = response.content.decode()
    assert "Someone saved this claim" in body and "“Draft” → “In review”" in body
    assert Claim.objects.get(pk=claim.pk).statement != "Edited."


def test_fresh_form_saves(client):
    login(client, groups=("Analyst",))
    claim = make_claim(status=Claim.Status.DRAFT)
    response = client.post(f"{LIST}{claim.pk}/change/", claim_data(claim, statement="Fine."))
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.statement == "Fine."
    second = client.post(f"{LIST}{claim.pk}/change/", claim_data(claim, statement="Again."))
    assert second.status_code == 302


@pytest.mark.parametrize("action", ["add_tags", "remove_tags"])
def test_bulk_tagging_makes_an_open_form_stale_and_keeps_the_tags(client, action):
    login(client, groups=("Analyst",))
    claim = make_claim(status=Claim.Status.DRAFT)
    claim.tags.add("korea")
    stale = claim_data(claim, statement="Edited while tags changed.")
    act(client, action, [claim], tags="korea, nuclear")
    expected = ["korea", "nuclear"] if action == "add_tags" else []
    assert sorted(claim.tags.names()) == expected
    response = client.post(f"{LIST}{claim.pk}/change/", stale)
    assert "Someone saved this claim by ana" in response.content.decode()
    claim.refresh_from_db()
    assert claim.statement != "Edited while tags changed."
    assert sorted(claim.tags.names()) == expected


def test_bulk_tag_changes_show_in_the_claims_history(client):
    user = login(client, username="hana", groups=("Analyst",))
    claim = make_claim(status=Claim.Status.DRAFT)
    act(client, "add_tags", [claim], tags="nuclear, Korea")
    act(client, "remove_tags", [claim], tags="Korea")
    rows = claim.history.order_by("-history_date", "-history_id")
    assert [r.history_change_reason for r in rows[:2]] == [
        "tags removed: Korea",
        "tags added: Korea, nuclear",
    ]
    assert rows[0].history_user == user
    body = client.get(f"{LIST}{claim.pk}/history/").content.decode()
    assert "tags added: Korea, nuclear" in body


def test_many_long_or_hostile_tags_fit_the_history_row(client):
    login(client, groups=("Analyst",))
    claim = make_claim(status=Claim.Status.DRAFT)
    names = [f"<script>alert({n})</script>-a-rather-long-tag-name" for n in range(12)]
    response = act(client, "add_tags", [claim], tags=", ".join(names))
    assert response.status_code == 200
    assert sorted(claim.tags.names()) == sorted(names)
    reason = claim.history.order_by("-history_date", "-history_id").first().history_change_reason
    assert reason.startswith("tags added: <script>") and len(reason) == 100
    body = client.get(f"{LIST}{claim.pk}/history/").content.decode()
    assert "<script>alert(" not in body and "&lt;script&gt;alert(" in body


def test_a_claim_moved_in_bulk_then_deleted_is_restored_with_its_subjects(client):
    login(client, superuser=True)
    subject = make_actor("Kept subject")
    claim = make_claim(status=Claim.Status.IN_REVIEW)
    claim.subjects.add(subject)
    act(client, "withdraw", [claim])
    moved = claim.history.order_by("-history_date", "-history_id").first()
    changes = moved.diff_against(moved.prev_record).changes
    assert [c.field for c in changes] == ["status"]  # not "subjects": the bulk row holds them
    client.post(f"{LIST}{claim.pk}/delete/", {"post": "yes"})
    client.post(f"{LIST}deleted/{claim.pk}/restore/")
    restored = Claim.objects.get(pk=claim.pk)
    assert list(restored.subjects.all()) == [subject]
