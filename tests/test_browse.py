"""The browse indexes (/actors/, /sources/, /events/, /tags/), the top navigation and the
breadcrumbs: public rows only, counts of published claims, sorting, paging, query counts."""

import re

import pytest

from claims import views
from claims.models import Actor
from tests.factories import (
    add_evidence,
    make_actor,
    make_claim,
    make_event,
    make_passage,
    make_source,
)
from tests.reader_world import more_claims

pytestmark = pytest.mark.django_db


def get_html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def rows(html):
    """(name, count) of each index row, in order."""
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    found = re.findall(
        r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>.*?<td class="num">(?:<a [^>]+>)?(\d+)',
        body,
        re.S,
    )
    return [(name, int(n)) for name, n in found]


def test_actor_index_lists_public_actors_by_name_with_their_published_claims(client, world):
    hidden = make_actor("Hidden Minister")
    world.draft.claimant = hidden
    world.draft.save()
    assert rows(get_html(client, "/actors/")) == [
        ("North Korea", 1),
        ("Officials", 1),
        ("Russia", 1),
    ]


def test_counts_include_only_published_claims_and_count_each_claim_once(client, world):
    world.draft.claimant = world.claimant
    world.draft.save()
    world.claim.subjects.add(world.claimant)  # claimant and subject of the same claim
    more_claims(world, 2)
    found = dict(rows(get_html(client, "/actors/")))
    assert found["Officials"] == 3
    assert found["North Korea"] == 3  # subject of every extra claim
    assert dict(rows(get_html(client, "/tags/")))["arms transfer"] == 3
    assert dict(rows(get_html(client, "/events/")))["Pyongyang summit"] == 3
    assert dict(rows(get_html(client, "/sources/"))) == {"Summit report": 3, "Second report": 1}


def test_sorting_by_most_claims_and_an_unknown_sort_is_a_clear_400(client, world):
    more_claims(world, 2)
    by_count = rows(get_html(client, "/actors/?sort=claims"))
    assert by_count[0] == ("North Korea", 3)
    assert "Unknown sort" in get_html(client, "/actors/?sort=%3Cscript%3E", status=400)
    assert "&lt;script&gt;" in get_html(client, "/actors/?sort=%3Cscript%3E", status=400)


def test_sources_are_newest_first_and_events_by_date(client, world):
    titles = [name for name, _ in rows(get_html(client, "/sources/"))]
    assert titles == ["Summit report", "Second report"]  # the second has no date: last
    assert [n for n, _ in rows(get_html(client, "/sources/?sort=title"))] == sorted(titles)


def test_indexes_are_paginated_with_links_that_keep_the_sort(client, world, monkeypatch):
    monkeypatch.setattr(views, "INDEX_PAGE_SIZE", 2)
    first = get_html(client, "/actors/?sort=claims")
    assert len(rows(first)) == 2 and "Page 1 of 2" in first
    assert 'href="/actors/?sort=claims&amp;page=2"' in first
    second = get_html(client, "/actors/?sort=claims&page=2")
    assert len(rows(second)) == 1
    assert "past the last page" in get_html(client, "/actors/?page=9", status=400)
    assert get_html(client, "/actors/?page=x", status=400)


def test_an_empty_index_says_so(client, db):
    make_source()
    assert "no published claim refers to any source" in get_html(client, "/sources/")


def test_row_text_is_escaped(client, world):
    world.claimant.name = "<script>alert(1)</script>"
    world.claimant.save()
    html = get_html(client, "/actors/")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)" in html


@pytest.mark.parametrize("url", ["/actors/", "/sources/", "/events/", "/tags/"])
def test_each_index_runs_two_queries_whatever_the_number_of_rows(
    client, world, django_assert_num_queries, django_capture_on_commit_callbacks, url
):
    with django_assert_num_queries(2):  # the pager's count, the page's rows with their counts
        get_html(client, url)
    with django_capture_on_commit_callbacks(execute=True):  # committed: the cache turns over
        more_claims(world, 10)
        for i in range(10):
            claim = make_claim(
                f"Claim {i}", claimant=make_actor(f"Actor {i}", kind=Actor.Kind.STATE)
            )
            claim.event = make_event(f"Event {i}")
            claim.save()
            claim.tags.add(f"tag {i}")
            add_evidence(claim, make_passage(make_source(f"Article number {i} text.")))
    with django_assert_num_queries(2):
        html = get_html(client, url)
    assert len(rows(html)) > 10


def test_every_page_has_the_navigation_and_detail_pages_have_breadcrumbs(client, world):
    html = get_html(client, "/")
    nav = html[html.index('aria-label="Main"') : html.index("</nav>")]
    for path in ("/claims/", "/actors/", "/sources/", "/events/", "/tags/", "/map/", "/timeline/"):
        assert f'href="{path}"' in nav
    for url, section, current in [
        (world.claimant.get_absolute_url(), "/actors/", "Officials"),
        (world.event.get_absolute_url(), "/events/", "Pyongyang summit"),
        (world.source_a.get_absolute_url(), "/sources/", "Summit report"),
        ("/tags/arms-transfer/", "/tags/", "arms transfer"),
        (world.claim.get_absolute_url(), "/claims/", "Weapons were transferred"),
    ]:
        html = get_html(client, url)
        crumbs = html[html.index('aria-label="Breadcrumb"') :]
        crumbs = crumbs[: crumbs.index("</nav>")]
        assert f'href="{section}"' in crumbs and current in crumbs, url


def test_timeline_page_draws_the_events_of_published_claims(
    client, world, django_assert_num_queries
):
    with django_assert_num_queries(1):
        html = get_html(client, "/timeline/")
    assert "Pyongyang summit" in html
