"""Who may see and do what: anonymous readers, analysts, and CSRF on every admin form."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from claims.models import Claim
from tests.factories import (
    add_evidence,
    make_actor,
    make_claim,
    make_event,
    make_passage,
    make_source,
)
from tests.forms import form_data


def admin_urls(obj_by_model):
    """Every admin page: the index, app indexes, each model's list, add, change, history and
    delete pages, the ingest page, and the user pages."""
    urls = [reverse("admin:index"), reverse("admin_ingest"), reverse("admin:password_change")]
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        urls += [
            reverse(f"admin:{info[0]}_{info[1]}_changelist"),
            reverse(f"admin:{info[0]}_{info[1]}_add"),
        ]
        urls.append(reverse("admin:app_list", args=[info[0]]))
        obj = obj_by_model.get(model)
        if obj is not None:
            for view in ("change", "history", "delete"):
                urls.append(reverse(f"admin:{info[0]}_{info[1]}_{view}", args=[obj.pk]))
    return sorted(set(urls))


@pytest.fixture
def hidden(db):
    """Rows that no reader may see: a draft, a claim in review, a withdrawn one, and what only
    they reference."""
    source = make_source(title="Unpublished source")
    actor = make_actor("Secret Actor")
    event = make_event("Secret meeting")
    passage = make_passage(source, quote="Article number")
    rows = {}
    for status in (Claim.Status.DRAFT, Claim.Status.IN_REVIEW, Claim.Status.WITHDRAWN):
        claim = make_claim(f"Hidden {status} claim.", status=status, claimant=actor, event=event)
        claim.tags.add(f"hidden-{status}")
        add_evidence(claim, passage, actors=[actor])
        rows[status] = claim
    return {"claims": rows, "source": source, "actor": actor, "event": event}


def test_anonymous_users_reach_no_admin_page(client, world, hidden):
    objects = {
        Claim: world.claim,
        type(world.claimant): world.claimant,
        type(world.event): world.event,
        type(world.source_a): world.source_a,
        type(world.supporting): world.supporting,
    }
    for url in admin_urls(objects):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url
        assert client.post(url, {}).status_code in (302, 403), url


def test_anonymous_users_see_no_unpublished_object(client, world, hidden):
    for status, claim in hidden["claims"].items():
        assert client.get(f"/claims/{claim.slug}/").status_code == 404, status
        assert client.get(f"/claims/{claim.slug}/annotations.json").status_code == 404
        assert client.get(f"/tags/hidden-{status}/").status_code == 404
    assert client.get(f"/actors/{hidden['actor'].slug}/").status_code == 404
    assert client.get(f"/events/{hidden['event'].slug}/").status_code == 404
    assert client.get(f"/sources/{hidden['source'].slug}/").status_code == 404
    for url in ["/", "/claims/", "/claims/?q=Hidden", f"/claims/?claimant={hidden['actor'].slug}"]:
        assert b"Hidden " not in client.get(url).content, url
    assert client.get(f"/claims/{world.draft.slug}/").status_code == 404


@pytest.fixture
def analyst(db):
    user = User.objects.create_user("analyst1", password="an analyst passphrase", is_staff=True)
    user.groups.add(Group.objects.get(name="Analyst"))
    return user


def test_an_analyst_cannot_see_or_manage_users_or_groups(client, analyst):
    client.force_login(analyst)
    for url in [
        "/admin/auth/user/",
        "/admin/auth/user/add/",
        "/admin/auth/group/",
        f"/admin/auth/user/{analyst.pk}/change/",
        f"/admin/auth/user/{analyst.pk}/password/",
    ]:
        assert client.get(url).status_code == 403, url
    response = client.post(
        "/admin/auth/user/add/",
        {
            "username": "intruder",
            "password1": "x-Very-long-pass-1",
            "password2": "x-Very-long-pass-1",
        },
    )
    assert response.status_code == 403
    assert not User.objects.filter(username="intruder").exists()
    analyst.refresh_from_db()
    assert not analyst.is_superuser and analyst.user_permissions.count() == 0


def test_an_analyst_cannot_publish_with_two_person_review(client, analyst, settings):
    settings.TWO_PERSON_REVIEW = True
    claim = make_claim("An analyst's own claim.", status=Claim.Status.IN_REVIEW, author=analyst)
    client.force_login(analyst)
    url = f"/admin/claims/claim/{claim.pk}/change/"
    data = form_data(client.get(url).content.decode(), "claim_form")
    data["status"] = Claim.Status.PUBLISHED
    client.post(url, data)
    claim.refresh_from_db()
    assert claim.status != Claim.Status.PUBLISHED


def _csrf_targets(world):
    objects = {
        Claim: world.claim,
        type(world.claimant): world.claimant,
        type(world.event): world.event,
        type(world.source_a): world.source_a,
    }
    urls = [reverse("admin:logout"), reverse("admin:password_change"), reverse("admin_ingest")]
    for model in admin.site._registry:
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        urls += [reverse(f"admin:{info}_changelist"), reverse(f"admin:{info}_add")]
        if model in objects:
            urls.append(reverse(f"admin:{info}_change", args=[objects[model].pk]))
            urls.append(reverse(f"admin:{info}_delete", args=[objects[model].pk]))
    return urls


def test_every_admin_form_refuses_a_post_without_the_csrf_token(world):
    root = User.objects.create_superuser("root", "root@example.org", "a-long-passphrase-1")
    client = Client(enforce_csrf_checks=True)
    client.force_login(root)
    before = Claim.objects.count(), Claim.objects.get(pk=world.claim.pk).statement
    for url in _csrf_targets(world):
        response = client.post(url, {"statement": "Forged.", "post": "yes"})
        assert response.status_code == 403, url
        assert b"CSRF" in response.content, url
    assert (Claim.objects.count(), Claim.objects.get(pk=world.claim.pk).statement) == before
    # Login itself is protected too (login CSRF).
    anonymous = Client(enforce_csrf_checks=True)
    assert anonymous.post("/admin/login/", {"username": "root", "password": "x"}).status_code == 403


def test_the_same_post_with_the_token_is_accepted(world):
    root = User.objects.create_superuser("root", "root@example.org", "a-long-passphrase-1")
    client = Client(enforce_csrf_checks=True)
    client.force_login(root)
    url = f"/admin/claims/claim/{world.claim.pk}/change/"
    data = form_data(client.get(url).content.decode(), "claim_form")
    data["statement"] = "Weapons were transferred, an edited statement."
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    world.claim.refresh_from_db()
    assert world.claim.statement == "Weapons were transferred, an edited statement."
