"""The faceted claim list: a select per facet with its counts, a date range, every state in the
URL, rows with date and source, and one query for all the counts."""

import datetime
import re
from html import unescape

import pytest

from claims import facets
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


def options(html, name):
    """{value: (text, count)} of the facet select `name`, and the selected value."""
    select = html[html.index(f'<select id="f-{name}"') :]
    select = select[: select.index("</select>")]
    found = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*) \((\d+)\)</option>', select)
    chosen = next((unescape(v) for v, s, _, _ in found if s), "")
    return {unescape(v): (unescape(t), int(n)) for v, _, t, n in found}, chosen


def listed(html):
    found = re.findall(r'<a class="statement" href="[^"]+">(.+?)</a>', html)
    return [re.sub(r"<[^>]+>", "", s) for s in found]


def test_each_facet_offers_its_values_with_counts_of_the_listed_claims(client, world):
    more_claims(world, 3)
    html = get_html(client, "/claims/")
    assert options(html, "claimant")[0] == {"officials": ("Officials", 4)}
    assert options(html, "subject")[0] == {
        "north-korea": ("North Korea", 4),
        "russia": ("Russia", 1),
    }
    assert options(html, "tag")[0]["arms-transfer"] == ("arms transfer", 4)
    assert options(html, "event")[0] == {"pyongyang-summit": ("Pyongyang summit", 4)}
    assert options(html, "source")[0] == {
        "summit-report": ("Summit report", 4),
        "second-report": ("Second report", 1),
    }
    assert options(html, "kind")[0]["allegation"] == ("Allegation", 1)
    assert options(html, "disputed")[0] == {"yes": ("disputed", 4), "no": ("not disputed", 0)}


def test_following_a_facet_value_lists_exactly_its_count_with_the_state_kept(client, world):
    more_claims(world, 3)
    html = get_html(client, "/claims/")
    for name in ("claimant", "subject", "tag", "source", "kind"):
        for value, (_, count) in options(html, name)[0].items():
            narrowed = get_html(client, f"/claims/?{name}={value}&sort=oldest")
            assert len(listed(narrowed)) == count, (name, value)
            assert options(narrowed, name)[1] == value  # the select shows the state
            assert 'value="oldest" selected' in narrowed


def test_facets_never_name_what_is_not_public(client, world):
    hidden = make_actor("Secret Minister")
    world.draft.claimant = hidden
    world.draft.event = make_event("Secret meeting")
    world.draft.save()
    world.draft.tags.add("secret tag")
    html = get_html(client, "/claims/")
    assert "Secret Minister" not in html and "Secret meeting" not in html
    assert "secret tag" not in html
    # a hand-typed value for a non-public actor is kept as typed, without a name
    html = get_html(client, f"/claims/?claimant={hidden.slug}")
    assert options(html, "claimant")[0] == {hidden.slug: (hidden.slug, 0)}
    # a public one that matches nothing here keeps its name
    html = get_html(client, "/claims/?claimant=russia&subject=officials")
    assert options(html, "claimant")[0] == {"russia": ("Russia", 0)}
    assert "Secret Minister" not in html


def test_rows_show_the_date_and_the_source(client, world):
    html = get_html(client, "/claims/")
    row = html[html.index('class="claim-row"') :]
    row = row[: row.index("</li>")]
    assert '<a href="/sources/summit-report/">Summit report</a>' in row  # earliest dated
    assert '<time datetime="2024-06-19">19 Jun 2024</time>' in row
    assert "Pyongyang summit, June 2024" in row  # the event with its date


def test_date_range_uses_the_source_date_else_the_event_date(client, world):
    undated = make_claim(
        "Said in an undated report.",
        event=make_event("Old war", start_date=datetime.date(1950, 6, 25), date_precision="year"),
    )
    add_evidence(undated, make_passage(make_source("An undated report about the old war.")))
    assert listed(get_html(client, "/claims/?from=2024-06-01&to=2024-06-30")) == [
        world.claim.statement
    ]
    assert listed(get_html(client, "/claims/?to=1960-01-01")) == [undated.statement]
    assert listed(get_html(client, "/claims/?from=2024-06-20")) == []
    html = get_html(client, "/claims/?from=2024-06-01")
    assert 'name="from" value="2024-06-01"' in html


def test_a_malformed_date_is_a_400_that_says_so(client, world):
    html = get_html(client, "/claims/?from=June", status=400)
    assert "“from” must be a date" in html


def test_counts_say_when_they_cover_only_the_first_claims(client, world, monkeypatch):
    monkeypatch.setattr(facets, "WINDOW", 2)
    more_claims(world, 3)
    html = get_html(client, "/claims/")
    assert "claims among the first 2 of these results" in html
    assert options(html, "claimant")[0] == {"officials": ("Officials", 2)}


def test_facets_are_counted_once_per_filter_state_until_the_next_edit(
    client, world, django_capture_on_commit_callbacks, django_assert_num_queries
):
    with django_capture_on_commit_callbacks(execute=True):
        more_claims(world, 30)
    assert options(get_html(client, "/claims/"), "claimant")[0]["officials"][1] == 31
    with django_assert_num_queries(3):  # count, ids, rows: the facets come from the cache
        page2 = get_html(client, "/claims/?page=2")
    assert options(page2, "claimant")[0]["officials"][1] == 31
    with django_capture_on_commit_callbacks(execute=True):
        more_claims(world, 1)
    assert options(get_html(client, "/claims/?page=2"), "claimant")[0]["officials"][1] == 32


def test_without_the_page_cache_facets_are_counted_every_time(
    client, world, settings, django_assert_num_queries
):
    settings.CACHE_MIDDLEWARE_SECONDS = 0
    for _ in range(2):
        with django_assert_num_queries(5):
            get_html(client, "/claims/?page=1")


def test_facet_values_are_escaped(client, world):
    world.claimant.name = "<img src=x onerror=alert(1)>"
    world.claimant.save()
    html = get_html(client, "/claims/")
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_the_facet_counts_are_two_queries_however_many_values(
    client, world, django_assert_num_queries, django_capture_on_commit_callbacks
):
    with django_assert_num_queries(5):  # count, ids, rows, facets (their ids, their counts)
        get_html(client, "/claims/")
    with django_capture_on_commit_callbacks(execute=True):  # committed: the cache turns over
        more_claims(world, 5)
        for i in range(5):
            claim = make_claim(f"Claim number {i}.", claimant=make_actor(f"Speaker {i}"))
            claim.subjects.set([make_actor(f"Subject {i}")])
            claim.event = make_event(f"Event {i}")
            claim.save()
            add_evidence(claim, make_passage(make_source(f"Report number {i} says so.")))
    with django_assert_num_queries(5):
        html = get_html(client, "/claims/")
    assert len(options(html, "claimant")[0]) == 6
