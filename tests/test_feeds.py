"""Atom feeds under /feeds/: valid Atom (parsed by feedparser, as a feed reader would), only
published claims, linked from the pages, escaped, constant queries."""

import feedparser
import pytest

from claims import publishing
from claims.models import Claim
from tests.factories import add_evidence, make_claim
from tests.reader_world import more_claims


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    return feed


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/claims/",
        "/feeds/disputed/",
        "/feeds/actors/officials/",
        "/feeds/tags/arms-transfer/",
    ],
)
def test_each_claim_feed_is_valid_atom_with_only_published_claims(client, world, url):
    feed = parse(client, url)
    titles = [entry.title for entry in feed.entries]
    assert titles == ["Weapons were transferred between Russia and North Korea."]
    entry = feed.entries[0]
    assert entry.link == f"http://testserver/claims/{world.claim.slug}/"
    assert "Disputed by" in entry.summary
    assert world.draft.statement not in str(feed)


def test_the_claims_feed_takes_the_lists_filters(client, world):
    other = make_claim("An undisputed claim about the weather.")
    add_evidence(other)
    assert [e.title for e in parse(client, "/feeds/claims/?disputed=no").entries] == [
        other.statement
    ]
    assert client.get("/feeds/claims/?disputed=maybe").status_code == 400
    assert client.get("/feeds/claims/?q=%00").status_code == 400


def test_newest_published_comes_first(client, world, django_user_model):
    reviewer = django_user_model.objects.create_user("r", password="x-unused-9!", is_superuser=True)
    old = make_claim("Written long ago, published today.", status=Claim.Status.IN_REVIEW)
    add_evidence(old)
    Claim.objects.filter(pk=old.pk).update(created_at=world.claim.created_at.replace(year=2000))
    publishing.move(Claim.objects.filter(pk=old.pk), Claim.Status.PUBLISHED, reviewer)
    assert parse(client, "/feeds/claims/").entries[0].title == old.statement


def test_feeds_of_non_public_actors_and_tags_are_404(client, world):
    assert client.get("/feeds/actors/no-such-actor/").status_code == 404
    world.draft.tags.add("secret tag")
    assert client.get("/feeds/tags/secret-tag/").status_code == 404


def test_article_text_in_a_feed_is_escaped(client, world):
    claim = make_claim('<script>alert(1)</script> & =HYPERLINK("x")')
    add_evidence(claim)
    response = client.get("/feeds/claims/")
    assert b"<script>" not in response.content
    assert parse(client, "/feeds/claims/").entries[0].title == claim.statement


def test_withdrawals_feed_lists_claims_that_stopped_being_public(transactional_db, client):
    from django.contrib.auth.models import User

    reviewer = User.objects.create_user("r", password="x-unused-9!", is_superuser=True)
    kept, withdrawn, deleted = (make_claim(f"Claim {n} was public.") for n in range(3))
    for claim in (kept, withdrawn, deleted):
        add_evidence(claim)
    publishing.move([withdrawn], Claim.Status.WITHDRAWN, reviewer)
    deleted_pk = deleted.pk
    deleted.delete()
    feed = parse(client, "/feeds/withdrawals/")
    titles = {e.title for e in feed.entries}
    assert titles == {f"Claim {withdrawn.pk} withdrawn", f"Claim {deleted_pk} deleted"}
    assert "was public" not in str(feed)  # withdrawn text is not republished
    assert len({e.id for e in feed.entries}) == 2


def test_pages_link_their_feeds(client, world):
    home = client.get("/").content.decode()
    assert 'type="application/atom+xml"' in home and 'href="/feeds/claims/"' in home
    actor = client.get(world.claimant.get_absolute_url()).content.decode()
    assert f'href="/feeds/actors/{world.claimant.slug}/"' in actor
    tag = client.get("/claims/?tag=arms-transfer")
    assert 'href="/feeds/claims/?tag=arms-transfer"' in tag.content.decode()


def test_the_claim_list_links_its_other_shapes_with_its_filters(client, world):
    html = client.get("/claims/?disputed=yes&kind=allegation&sort=oldest").content.decode()
    for url in (
        "/claims/export.csv?disputed=yes&amp;kind=allegation&amp;sort=oldest",
        "/claims/export.jsonl?disputed=yes&amp;kind=allegation&amp;sort=oldest",
        "/feeds/claims/?disputed=yes&amp;kind=allegation",
        "/api/v1/claims/?disputed=yes&amp;kind=allegation&amp;sort=oldest",
    ):
        assert f'href="{url}"' in html
    api = client.get("/api/v1/claims/?disputed=yes&kind=allegation&sort=oldest").json()
    assert [r["id"] for r in api["results"]] == [world.claim.pk]


def test_a_feed_runs_the_same_queries_for_few_claims_as_for_many(
    client, world, django_assert_num_queries, django_capture_on_commit_callbacks
):
    with django_assert_num_queries(3):
        client.get("/feeds/claims/")
    with django_capture_on_commit_callbacks(execute=True):  # the page cache bumps on commit
        more_claims(world, 15)
    with django_assert_num_queries(3):
        response = client.get("/feeds/claims/")
    assert len(feedparser.parse(response.content).entries) == 16
