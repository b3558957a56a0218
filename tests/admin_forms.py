"""Helpers for the admin tests: logins in the real groups, and the claim form's POST data."""

from django.contrib.auth.models import Group, User

from claims.models import Claim


def login(client, username="ana", groups=("Analyst",), superuser=False):
    if superuser:
        user = User.objects.create_superuser(username, password="x")
    else:
        user = User.objects.create_user(username, password="x", is_staff=True)
        user.groups.set(Group.objects.filter(name__in=groups))
    client.force_login(user)
    return user


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
