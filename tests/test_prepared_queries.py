import datetime

import pytest

from claims.models import Event
from claims.prepared import PreparedValues
from tests.factories import make_event

pytestmark = pytest.mark.django_db

MARKER = "\x00title\x00"


def events_titled(title):
    return Event.objects.filter(title=title).values_list("slug", "start_date", "created_at")


def test_prepared_rows_equal_the_querysets_rows_with_dates_converted():
    make_event("Pyongyang summit", start_date=datetime.date(2024, 6, 19))
    make_event("Armistice", start_date=datetime.date(1953, 7, 27))
    prepared = PreparedValues(Event, events_titled, MARKER)
    for title in ("Pyongyang summit", "Armistice", "No such event"):
        assert prepared.rows(title) == [list(row) for row in events_titled(title)]
    assert prepared.rows("Armistice")[0][1] == datetime.date(1953, 7, 27)


def test_a_query_without_the_marker_is_refused_before_it_runs():
    prepared = PreparedValues(Event, lambda title: Event.objects.values_list("pk"), MARKER)
    with pytest.raises(ValueError, match="does not use the marker"):
        prepared.rows("Armistice")


def test_a_marker_used_in_several_places_takes_the_value_in_each():
    make_event("Armistice", slug="armistice")
    make_event("Armistice", slug="armistice-2")
    prepared = PreparedValues(
        Event,
        lambda title: (
            Event.objects.filter(title=title)
            .order_by()
            .values_list("slug")
            .union(Event.objects.filter(slug=title).order_by().values_list("slug"), all=True)
        ),
        MARKER,
    )
    assert sorted(prepared.rows("Armistice")) == [["armistice"], ["armistice-2"]]
    assert prepared.rows("armistice-2") == [["armistice-2"]]


def test_rows_for_pads_a_short_list_and_runs_a_long_one_in_turns():
    titles = [f"Summit {n}" for n in range(7)]
    for title in titles:
        make_event(title)
    markers = [f"\x00title-{n}\x00" for n in range(3)]
    prepared = PreparedValues(
        Event,
        lambda *wanted: Event.objects.filter(title__in=wanted).order_by().values_list("title"),
        *markers,
    )
    assert sorted(prepared.rows_for(titles[:2], "")) == [[t] for t in titles[:2]]
    assert sorted(prepared.rows_for(titles, "")) == [[t] for t in titles]  # three turns
    assert prepared.rows_for([], "") == []
