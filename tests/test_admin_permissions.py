"""The Analyst and Reviewer groups (data migration) as the admin applies them."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from claims.models import Source
from tests.admin_forms import login
from tests.factories import add_evidence, make_claim, make_passage, make_source

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["claim", "evidence", "actor", "event", "source", "passage"])
def test_analyst_can_add_and_change(client, model):
    login(client, groups=("Analyst",))
    assert client.get(f"/admin/claims/{model}/add/").status_code == 200
    assert client.get(f"/admin/claims/{model}/").status_code == 200


def test_analyst_cannot_manage_users_or_groups(client):
    login(client, groups=("Analyst",))
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get("/admin/auth/group/").status_code == 403


def test_reviewer_is_analyst_plus_publish():
    analyst = set(Group.objects.get(name="Analyst").permissions.values_list("codename", flat=True))
    reviewer = set(
        Group.objects.get(name="Reviewer").permissions.values_list("codename", flat=True)
    )
    assert reviewer - analyst == {"publish_claim"}
    assert "publish_claim" not in analyst
    assert {"add_claim", "change_claim", "add_source", "change_actor", "add_event"} <= analyst


def test_source_with_claims_cannot_be_deleted(client):
    login(client, groups=("Analyst",))
    passage = make_passage()
    add_evidence(make_claim(), passage)
    response = client.post(f"/admin/claims/source/{passage.source_id}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Source.objects.filter(pk=passage.source_id).exists()


def test_source_without_claims_can_be_deleted(client):
    login(client, groups=("Analyst",))
    source = make_source()
    response = client.post(f"/admin/claims/source/{source.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Source.objects.filter(pk=source.pk).exists()


def test_first_run_login_is_analyst_and_reviewer():
    call_command("create_analyst", stdout=StringIO())
    user = User.objects.get(username="analyst")
    assert set(user.groups.values_list("name", flat=True)) == {"Analyst", "Reviewer"}
    assert user.has_perm("claims.publish_claim") and user.is_staff and not user.is_superuser
