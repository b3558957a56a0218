"""The timeline of events (claims/timeline.py, templates/claims/_timeline.html)."""

import datetime
import re

import pytest

from claims import timeline
from claims.models import Claim, Event
from tests.factories import make_claim, make_event

D = datetime.date


def event(title, start, end=None, precision=Event.Precision.DAY, claims=1, pk=None):
    e = Event(title=title, start_date=start, end_date=end, date_precision=precision, pk=pk)
    e.slug = f"e-{pk or abs(hash(title)) % 10_000}"
    e.n_claims = claims
    return e


def bars(layout):
    return {bar.event.title: (segment, bar) for segment in layout.segments for bar in segment.bars}


def test_a_year_is_drawn_as_the_whole_year_not_a_day():
    layout = timeline.layout(
        [
            event("Visit in 2000", D(2000, 1, 1), precision=Event.Precision.YEAR),
            event("Talks", D(2000, 6, 1)),
        ]
    )
    drawn = bars(layout)
    year, day = drawn["Visit in 2000"][1], drawn["Talks"][1]
    assert year.width > 0.9 * (timeline.WIDTH - 2 * timeline.PAD)
    assert day.width < year.width / 50 + 3  # a day is a sliver (drawn at least 3 units wide)


def test_war_history_and_a_2024_visit_share_a_broken_axis_without_crushing_either():
    layout = timeline.layout(
        [
            event("Korean War", D(1950, 1, 1), D(1953, 12, 31), Event.Precision.YEAR),
            event("Cold War", D(1947, 1, 1), D(1991, 12, 31), Event.Precision.YEAR),
            event("State visit", D(2024, 6, 18), D(2024, 6, 19)),
            event("Treaty", D(2024, 6, 1), precision=Event.Precision.MONTH),
        ]
    )
    assert [s.label for s in layout.segments] == ["1947–1991", "June 2024"]
    assert layout.segments[1].gap_before == "32 years later"
    drawn = bars(layout)
    war_segment, war = drawn["Korean War"]
    visit_segment, visit = drawn["State visit"]
    assert war_segment is not visit_segment
    assert war.width > 15 and visit.width > 10  # both readable, four years and two days
    # the month-precise treaty spans the whole of June; the visit its two days within it
    assert drawn["Treaty"][1].width > 10 * visit.width


def test_the_axis_breaks_at_most_four_times_at_the_widest_gaps():
    events = [event(f"Event {year}", D(year, 3, 1)) for year in range(1900, 2000, 10)]
    layout = timeline.layout(events)
    assert len(layout.segments) == 5
    assert sum(len(s.bars) for s in layout.segments) == 10


def test_close_events_stay_on_one_segment_with_day_ticks():
    layout = timeline.layout([event("A", D(2024, 6, 18)), event("B", D(2024, 6, 20))])
    assert len(layout.segments) == 1
    assert layout.segments[0].label == "June 2024"
    assert all(re.fullmatch(r"\d+ Jun", label) for _, label in layout.segments[0].ticks)


def test_undated_events_are_listed_in_the_table_not_drawn():
    undated = Event(title="Undated")
    undated.n_claims = 1
    layout = timeline.layout([event("Dated", D(2020, 1, 1)), undated])
    assert [e.title for e, _, _ in layout.rows] == ["Dated", "Undated"]
    assert list(bars(layout)) == ["Dated"]


def test_no_events_draws_nothing():
    assert not timeline.layout([])


@pytest.mark.django_db
def test_home_page_links_every_public_event_with_its_claim_count(client, seeded):
    html = client.get("/").content.decode()
    section = html[html.index('<section class="timeline"') :]
    section = section[: section.index("</section>")]
    public = Event.objects.exclude(claims=None).filter(claims__status="published").distinct()
    for e in public:
        assert f'href="/events/{e.slug}/"' in section
    assert "18 June 2024–19 June 2024 · 33 claims" in section
    assert "1950–1953 · 2 claims" in section
    assert [s.label for s in timeline.build().segments] == [
        "1947–1991",
        "2000",
        "February 2022",
        "June 2024",
    ]
    # the table says the same for screen readers
    assert re.search(r"Korean War</a></th><td>1950–1953 \(to the year\)</td><td>2</td>", section)


@pytest.mark.django_db
def test_event_page_marks_its_own_event(client, seeded):
    html = client.get("/events/korean-war/").content.decode()
    assert 'class="tl-event current" href="/events/korean-war/"' in html
    assert 'href="/events/korean-war/" aria-current="page"' in html


@pytest.mark.django_db
def test_events_with_only_draft_claims_are_not_on_the_timeline(client):
    make_claim("Public.", event=make_event("Public summit", start_date=D(2024, 1, 1)))
    secret = make_event("Secret summit", start_date=D(2024, 2, 1))
    make_claim("Draft.", event=secret, status=Claim.Status.DRAFT)
    html = client.get("/").content.decode()
    assert "Public summit" in html and "Secret summit" not in html


@pytest.mark.django_db
def test_hostile_titles_are_escaped_in_the_picture_and_the_table(client):
    make_claim("x", event=make_event("<script>alert(1)</script>", start_date=D(2024, 1, 1)))
    html = client.get("/").content.decode()
    assert "<script>alert" not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3  # <title>, <text>, table


@pytest.mark.django_db
def test_timeline_is_one_query_whatever_the_number_of_events(django_assert_num_queries):
    make_claim(event=make_event(start_date=D(2024, 1, 1)))
    with django_assert_num_queries(1):
        timeline.build()
    for i in range(60):
        make_claim(event=make_event(start_date=D(1990 + i % 30, 1 + i % 12, 1)))
    with django_assert_num_queries(1):
        layout = timeline.build()
    assert len(layout.rows) == timeline.MAX_EVENTS and layout.limited


@pytest.mark.django_db
def test_the_current_event_is_shown_even_past_the_limit(django_assert_num_queries):
    for i in range(timeline.MAX_EVENTS + 5):
        e = make_event(start_date=D(2000, 1, 1) + datetime.timedelta(days=40 * i))
        make_claim(event=e), make_claim(event=e)
    quiet = make_event("Quiet event", start_date=D(2030, 1, 1))
    make_claim(event=quiet)
    with django_assert_num_queries(1):
        layout = timeline.build(quiet)
    assert [e.title for e, _, current in layout.rows if current] == ["Quiet event"]
