"""Helpers for the admin tests: logins in the real groups, and the claim form's POST data."""

import importlib

from django.contrib.auth.models import Group, Permission, User

from claims.models import Claim
from tests.forms import form_data


def ensure_groups():
    """The Analyst and Reviewer groups as migration 0002 defines them. A transactional test's
    flush deletes them (Django recreates only the permissions), so a later test that logs in
    through a group would see an analyst with no rights at all."""
    if Group.objects.filter(name__in=["Analyst", "Reviewer"]).count() == 2:
        return
    spec = importlib.import_module("claims.migrations.0002_groups")

    def perms(app, codenames):
        return list(Permission.objects.filter(content_type__app_label=app, codename__in=codenames))

    codes = [f"{a}_{m}" for m in spec.EDITABLE for a in ("add", "change", "view")]
    codes += [f"delete_{m}" for m in spec.DELETABLE]
    codes += [f"view_historical{m}" for m in spec.EDITABLE]
    analyst = perms("claims", codes) + perms("taggit", ["add_tag", "view_tag", "change_tag"])
    Group.objects.get_or_create(name="Analyst")[0].permissions.set(analyst)
    reviewer = Group.objects.get_or_create(name="Reviewer")[0]
    reviewer.permissions.set(analyst + perms("claims", ["publish_claim"]))


def make_user(username, groups=("Analyst",), superuser=False):
    if superuser:
        return User.objects.create_superuser(username, password="x")
    ensure_groups()
    user = User.objects.create_user(username, password="x", is_staff=True)
    user.groups.set(Group.objects.filter(name__in=groups))
    return user


def login(client, username="ana", groups=("Analyst",), superuser=False):
    user = make_user(username, groups, superuser)
    client.force_login(user)
    return user


def act(client, action, objects, url="/admin/claims/claim/", **extra):
    """Run the changelist action `action` on `objects` (the Tags box and such in `extra`)."""
    return client.post(
        url,
        {"action": action, "_selected_action": [o.pk for o in objects], "index": 0, **extra},
        follow=True,
    )


def post_page_form(client, url, form_id, **fields):
    """GET the admin page at `url`, then POST its form `form_id` as a browser would, with
    `fields` changed."""
    data = form_data(client.get(url).content.decode(), form_id)
    data.update(fields)
    return client.post(url, data, follow=True)


def claim_data(claim=None, evidence=(), existing=(), **fields):
    """POST data for /admin/claims/claim/add/ or …/<id>/change/.

    `evidence`: dicts for new rows (source, quote, prefix, suffix, stance, actors, note);
    `existing`: Evidence rows kept as they are.
    """
    data = {
        "statement": claim.statement if claim else "Leaders met in the capital.",
        "slug": claim.slug if claim else "",
        "claimant": (claim.claimant_id or "") if claim else "",
        "event": (claim.event_id or "") if claim else "",
        "kind": claim.kind if claim else Claim.Kind.FACT,
        "status": claim.status if claim else Claim.Status.DRAFT,
        "tags": ", ".join(t.name for t in claim.tags.all()) if claim else "",
        "version": claim.updated_at.isoformat() if claim else "",
    }
    if claim:
        data["subjects"] = [str(a.pk) for a in claim.subjects.all()]
    rows = []
    for ev in existing:
        rows.append(
            {
                "id": ev.pk,
                "claim": ev.claim_id,
                "source": ev.passage.source_id,
                "quote": ev.passage.text,
                "prefix": "",
                "suffix": "",
                "stance": ev.stance,
                "actors": [a.pk for a in ev.actors.all()],
                "note": ev.note,
            }
        )
    for ev in evidence:
        rows.append(
            {
                "id": "",
                "claim": claim.pk if claim else "",
                "prefix": "",
                "suffix": "",
                "stance": "supports",
                "actors": [],
                "note": "",
                **ev,
            }
        )
    data.update(
        {
            "evidence-TOTAL_FORMS": str(len(rows)),
            "evidence-INITIAL_FORMS": str(len(existing)),
            "evidence-MIN_NUM_FORMS": "0",
            "evidence-MAX_NUM_FORMS": "1000",
        }
    )
    for i, row in enumerate(rows):
        for key, value in row.items():
            if key == "source" and hasattr(value, "pk"):
                value = value.pk
            data[f"evidence-{i}-{key}"] = value
    data.update({k: v for k, v in fields.items()})
    return data
