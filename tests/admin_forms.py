"""Helpers for the admin tests: logins in the real groups, and the claim form's POST data."""

from django.contrib.auth.models import Group, User

from claims.models import Claim
from tests.forms import form_data


def make_user(username, groups=("Analyst",), superuser=False):
    if superuser:
        return User.objects.create_superuser(username, password="x")
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
