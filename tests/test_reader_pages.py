"""Actor, event, tag and home pages: content, 404s for what is not public, query counts."""

import pytest

from claims.models import Actor, ActorAlias, Claim
from tests.factories import make_actor, make_event
from tests.reader_world import more_claims

pytestmark = pytest.mark.django_db


def get_html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_actor_page_lists_claims_made_about_disputes_events_and_aliases(client, world):
    russia = world.disputers[0]
    ActorAlias.objects.create(actor=russia, name="Russian Federation")
    html = get_html(client, f"/actors/{russia.slug}/")
    assert "<h1>Russia</h1>" in html and "Russian Federation" in html
    about = html[html.index('id="about-h"') : html.index('id="disputes-h"')]
    assert world.claim.statement in about
    disputes = html[html.index('id="disputes-h"') : html.index('id="events-h"')]
    assert world.claim.statement in disputes
    assert f"#p-{world.disputing.pk}" in disputes
    events = html[html.index('id="events-h"') :]
    assert "Pyongyang summit" in events and "guest" in events
    made = get_html(client, f"/actors/{world.claimant.slug}/")
    assert world.claim.statement in made[made.index('id="made-h"') : made.index('id="about-h"')]


def test_event_page_shows_date_precision_participants_and_claims(client, world):
    html = get_html(client, f"/events/{world.event.slug}/")
    assert "<h1>Pyongyang summit</h1>" in html
    assert "June 2024" in html and "known to the month" in html
    assert "Russia</a>: guest" in html
    assert world.claim.statement in html and "Pyongyang" in html


def test_tag_page_lists_its_published_claims(client, world):
    html = get_html(client, "/tags/arms-transfer/")
    assert "Tag: arms transfer" in html and world.claim.statement in html


def test_a_tag_with_a_unicode_slug_has_its_page(client, world):
    world.claim.tags.add("Россия")
    claim_html = get_html(client, f"/claims/{world.claim.slug}/")
    assert 'href="/tags/%D1%80%D0%BE%D1%81%D1%81%D0%B8%D1%8F/">Россия</a>' in claim_html
    assert world.claim.statement in get_html(client, "/tags/россия/")


def test_home_shows_counts_latest_disputed_and_sources(client, world):
    html = get_html(client, "/")
    assert "<strong>1</strong> published claim" in html
    assert "<strong>1</strong> disputed" in html
    assert "<strong>2</strong> sources" in html
    assert world.claim.statement in html and world.draft.statement not in html
    assert "Summit report" in html and "Second report" in html


def test_only_what_published_claims_reference_is_public(client, world):
    loner = make_actor("Nobody in particular")
    event = make_event("An event with no claim")
    world.draft.tags.add("draft-only")
    world.draft.claimant = loner
    world.draft.save()
    for url in (
        f"/actors/{loner.slug}/",
        f"/events/{event.slug}/",
        "/tags/draft-only/",
        "/actors/no-such-actor/",
        "/events/no-such-event/",
        "/tags/no-such-tag/",
        "/sources/no-such-source/",
    ):
        assert client.get(url).status_code == 404, url
    Claim.objects.filter(pk=world.claim.pk).update(status=Claim.Status.WITHDRAWN)
    for url in (
        f"/actors/{world.claimant.slug}/",
        f"/events/{world.event.slug}/",
        "/tags/arms-transfer/",
    ):
        assert client.get(url).status_code == 404, url


def test_not_found_page_is_helpful(client, db):
    response = client.get("/claims/nothing-here/")
    assert response.status_code == 404
    assert "Browse all claims" in response.content.decode()


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # (a list of claims is two queries: ids, then the rows with their dispute state)
        # actor + aliases, claims made (no ids: no rows query), claims about, disputes, events,
        # + the actor map's five (claims/actor_map.py)
        ("/actors/russia/", 12),
        # event, participants, claims, + the timeline's one
        ("/events/pyongyang-summit/", 5),
        # tag, claims
        ("/tags/arms-transfer/", 3),
        # 3 counts, latest, disputed, sources, + the timeline's one
        ("/", 9),
    ],
)
def test_pages_run_a_fixed_number_of_queries(
    client, world, django_assert_num_queries, django_capture_on_commit_callbacks, url, queries
):
    with django_assert_num_queries(queries):
        get_html(client, url)
    with django_capture_on_commit_callbacks(execute=True):  # committed: the cache turns over
        more_claims(world, 25)
        for i in range(5):
            actor = make_actor(f"Participant {i}", kind=Actor.Kind.STATE)
            world.event.participations.create(actor=actor, role="observer")
            ActorAlias.objects.create(actor=world.disputers[0], name=f"Russia alias {i}")
    with django_assert_num_queries(queries):
        get_html(client, url)
