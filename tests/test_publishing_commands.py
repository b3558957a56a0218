"""The publishing rule on the routes that are not admin pages: `import_kb`, `load_seeds`,
`ingest`, and the plain functions a future API calls (claims/publishing.py).

A command publishes only when it is told who publishes (`--user`, someone with the publish
permission); otherwise what its file marks as published waits in review. Each outcome is checked
as an anonymous reader sees it (`/claims/<slug>/` answers 200 or 404)."""

import io
import json
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from claims.bundle import write_bundle
from claims.models import Claim
from claims.seeding import SEEDS_DIR
from tests.admin_forms import make_user
from tests.factories import add_evidence, make_actor, make_claim, make_passage

pytestmark = pytest.mark.django_db

Status = Claim.Status
SEED_CLAIMS = json.loads((SEEDS_DIR / "annotations.json").read_text(encoding="utf-8"))["claims"]
SEED_PUBLISHED = [c["slug"] for c in SEED_CLAIMS if c.get("status", "published") == "published"]


@pytest.fixture
def team(db, settings):
    settings.TWO_PERSON_REVIEW = False
    return SimpleNamespace(
        analyst=make_user("ana", ("Analyst",)),
        author=make_user("rita", ("Reviewer",)),
        reviewer=make_user("rob", ("Reviewer",)),
    )


def public(slug):
    return Client().get(f"/claims/{slug}/").status_code


def command(name, *args):
    out = io.StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


# import_kb -----------------------------------------------------------------------------------


@pytest.fixture
def bundle(team, tmp_path):
    """A bundle with one published claim by rita and one draft; the claims are then deleted."""
    published = make_claim("Published in the bundle.", status=Status.PUBLISHED, author=team.author)
    add_evidence(published, make_passage())
    make_claim("A draft in the bundle.", status=Status.DRAFT)
    path = tmp_path / "kb.jsonl"
    with path.open("wb") as out:
        write_bundle(out)
    Claim.objects.all().delete()
    return SimpleNamespace(path=str(path), slug=published.slug)


def test_import_without_a_user_holds_published_claims_in_review(bundle):
    out = command("import_kb", bundle.path)
    assert "1 claim marked published is in review" in out and "--user" in out
    assert Claim.objects.get(slug=bundle.slug).status == Status.IN_REVIEW
    assert public(bundle.slug) == 404


def test_import_by_a_reviewer_publishes(bundle, team):
    command("import_kb", bundle.path, "--user", "rob")
    assert Claim.objects.get(slug=bundle.slug).status == Status.PUBLISHED
    assert public(bundle.slug) == 200


@pytest.mark.parametrize(
    "username, reason", [("ana", "may not publish"), ("nobody", "no user “nobody”")]
)
def test_import_by_someone_who_may_not_publish_is_refused_and_writes_nothing(
    bundle, team, username, reason
):
    with pytest.raises(CommandError, match=reason):
        command("import_kb", bundle.path, "--user", username)
    assert not Claim.objects.exists()


def test_import_by_the_author_under_two_person_review_holds_their_claim(bundle, team, settings):
    settings.TWO_PERSON_REVIEW = True
    out = command("import_kb", bundle.path, "--user", "rita")
    assert "in review" in out
    assert Claim.objects.get(slug=bundle.slug).status == Status.IN_REVIEW
    assert public(bundle.slug) == 404


# load_seeds ----------------------------------------------------------------------------------


def test_seeds_without_a_user_wait_in_review(team):
    out = command("load_seeds")
    assert f"{len(SEED_PUBLISHED)} claims marked published are in review" in out
    assert "--user" in out
    assert not Claim.objects.filter(status=Status.PUBLISHED).exists()
    assert public(SEED_PUBLISHED[0]) == 404


def test_seeds_loaded_by_a_reviewer_are_published(team):
    command("load_seeds", "--user", "rob")
    published = set(Claim.objects.filter(status=Status.PUBLISHED).values_list("slug", flat=True))
    assert published == set(SEED_PUBLISHED)
    assert public(SEED_PUBLISHED[0]) == 200


def test_loading_the_seeds_again_does_not_republish_a_withdrawn_claim(team):
    command("load_seeds", "--user", "rob")
    Claim.objects.filter(slug=SEED_PUBLISHED[0]).update(status=Status.WITHDRAWN)
    assert "nothing to change" in command("load_seeds", "--user", "rob")
    assert Claim.objects.get(slug=SEED_PUBLISHED[0]).status == Status.WITHDRAWN
    assert public(SEED_PUBLISHED[0]) == 404


def test_load_seeds_refuses_a_user_who_may_not_publish(team):
    with pytest.raises(CommandError, match="may not publish"):
        command("load_seeds", "--user", "ana")
    assert not Claim.objects.exists()


# ingest --------------------------------------------------------------------------------------


def test_ingest_writes_drafts_that_nobody_sees(team, tmp_path):
    make_actor("Park Jin")
    (tmp_path / "a.txt").write_text("A headline\n\nPark Jin said the talks were friendly.\n")
    command("ingest", str(tmp_path / "a.txt"))
    assert Claim.objects.exists()
    for claim in Claim.objects.all():
        assert claim.status == Status.DRAFT and claim.author is None
        assert public(claim.slug) == 404


# The plain functions (for scripts and a future API) -------------------------------------------


def test_a_content_change_through_the_plain_function_follows_the_rule(team):
    from claims import publishing

    claim = make_claim("Published words.", status=Status.PUBLISHED)
    with publishing.editing(team.analyst, [claim.pk]) as edit:
        claim.statement = "Words changed by a script."
        claim.save()
    assert Claim.objects.get(pk=claim.pk).status == Status.IN_REVIEW
    assert [c.pk for c in edit.sent_back] == [claim.pk]
    assert public(claim.slug) == 404


def test_a_move_without_a_user_never_publishes(team):
    from claims import publishing

    claim = make_claim(status=Status.IN_REVIEW)
    moved, skipped = publishing.move([claim], Status.PUBLISHED, None)
    assert moved == 0 and skipped
    assert Claim.objects.get(pk=claim.pk).status == Status.IN_REVIEW
