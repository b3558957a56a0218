"""Public pages are cached, and any edit an analyst makes shows on the next request after its
commit (never before it: claims/cache.py).

The `db` fixture never commits: `committed` runs an edit's on-commit callbacks as its commit
would (`django_capture_on_commit_callbacks(execute=True)`).
"""

import re

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from simple_history.utils import bulk_update_with_history

from claims.merge import merge_actors
from claims.models import Claim, Evidence
from tests.factories import add_evidence, make_actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` — the block's writes, then its commit's callbacks."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_repeated_request_is_served_from_the_cache(client, world, django_assert_num_queries):
    url = f"/claims/{world.claim.slug}/"
    first = client.get(url)
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.content == first.content


def test_editing_a_claim_shows_on_the_next_request(client, world, committed):
    url = f"/claims/{world.claim.slug}/"
    client.get(url), client.get("/claims/")
    with committed():
        world.claim.statement = "An edited statement."
        world.claim.save()
    assert "An edited statement." in client.get(url).content.decode()
    assert "An edited statement." in client.get("/claims/").content.decode()


def test_an_edit_shows_only_once_its_transaction_commits(client, world, committed):
    url = f"/claims/{world.claim.slug}/"
    client.get(url)
    with committed():
        world.claim.statement = "Not committed yet."
        world.claim.save()
        assert "Not committed yet." not in client.get(url).content.decode()
    assert "Not committed yet." in client.get(url).content.decode()


def test_a_rolled_back_edit_leaves_the_cached_pages_in_place(
    client, world, committed, django_assert_num_queries
):
    url = f"/claims/{world.claim.slug}/"
    client.get(url)
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        world.claim.statement = "Rolled back."
        world.claim.save()
        raise RuntimeError
    with django_assert_num_queries(0):
        assert "Rolled back." not in client.get(url).content.decode()


def test_bulk_status_change_unpublishes_at_once(client, world, committed):
    url = f"/claims/{world.claim.slug}/"
    assert client.get(url).status_code == 200
    with committed():
        Claim.objects.filter(pk=world.claim.pk).update(status=Claim.Status.DRAFT)
    assert client.get(url).status_code == 404


def test_a_review_move_with_history_unpublishes_at_once(client, world, committed):
    """The review workflow's bulk path: bulk_update_with_history, which sends no signals."""
    url = f"/claims/{world.claim.slug}/"
    assert client.get(url).status_code == 200
    with committed():
        world.claim.status = Claim.Status.WITHDRAWN
        bulk_update_with_history([world.claim], Claim, ["status"])
    assert client.get(url).status_code == 404


def test_deleting_a_claim_removes_its_page_at_once(client, world, committed):
    url = f"/claims/{world.claim.slug}/"
    assert client.get(url).status_code == 200
    with committed():
        world.claim.delete()
    assert client.get(url).status_code == 404


def test_tag_subject_and_disputing_actor_changes_show_at_once(client, world, committed):
    url = f"/claims/{world.claim.slug}/"
    client.get(url)
    with committed():
        world.claim.tags.add("fresh tag")
    assert "fresh tag" in client.get(url).content.decode()
    with committed():
        world.claim.tags.remove("fresh tag")
    assert "fresh tag" not in client.get(url).content.decode()
    with committed():
        world.claim.subjects.remove(world.subject)
    about = re.search(r"<dt>About</dt><dd>(.*?)</dd>", client.get(url).content.decode())
    assert "Russia" in about.group(1) and "North Korea" not in about.group(1)
    with committed():
        evidence = world.claim.evidence.get(stance=Evidence.Stance.DISPUTES)
        evidence.actors.clear()
    assert "Disputed</strong>:" in client.get(url).content.decode()
    with committed():
        world.claim.tags.clear()
    assert "arms transfer" not in client.get(url).content.decode()


def test_new_evidence_and_source_edits_show_at_once(client, world, committed):
    url = f"/claims/{world.claim.slug}/"
    client.get(url)
    with committed():
        add_evidence(
            world.claim, world.draft.evidence.get().passage, stance=Evidence.Stance.DISPUTES
        )
    assert "The talks lasted two days</mark>" in client.get(url).content.decode()
    with committed():
        world.source_a.publisher = "Renamed Paper"
        world.source_a.save()
    assert "Renamed Paper" in client.get(url).content.decode()


def test_an_actor_merge_shows_at_once(client, world, committed):
    url = f"/claims/{world.claim.slug}/"
    client.get(url)
    kept = make_actor("Officials of the ministry", kind=world.claimant.kind)
    with committed():
        merge_actors(kept, [world.claimant])
    assert "Officials of the ministry" in client.get(url).content.decode()


def test_logged_in_users_are_not_served_cached_pages(client, world, django_assert_num_queries):
    user = User.objects.create_user("analyst", password="x" * 12)
    client.force_login(user)
    url = f"/claims/{world.claim.slug}/"
    client.get(url)
    with django_assert_num_queries(4):  # session, user, then the page's own two
        client.get(url)


def test_ingesting_drafts_keeps_the_public_pages_cached(client, world, django_assert_num_queries):
    from claims.ingest.reading import article_from_bytes
    from claims.ingest.writer import ingest_article

    client.get("/"), client.get("/claims/")
    text = b"Briefing\nRussia said the talks with North Korea were useful."
    result = ingest_article(article_from_bytes(text, name="b.txt"))
    assert result.created and result.counts["claims"] == 1  # a draft: on no public page
    with django_assert_num_queries(0):
        client.get("/"), client.get("/claims/")
