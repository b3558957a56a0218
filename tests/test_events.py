import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims.models import Event
from tests.factories import make_actor, make_event

pytestmark = pytest.mark.django_db
D = datetime.date


def test_year_range_is_shown_with_year_precision():
    war = make_event(
        "Korean War", start_date=D(1950, 1, 1), end_date=D(1953, 12, 31), date_precision="year"
    )
    assert war.date_label == "1950–1953"
    assert str(war) == "Korean War (1950–1953)"


def test_single_year_month_and_day_precisions():
    assert make_event(start_date=D(2000, 7, 19), date_precision="year").date_label == "2000"
    assert make_event(start_date=D(2024, 6, 1), date_precision="month").date_label == "June 2024"
    visit = make_event(start_date=D(2024, 6, 18), end_date=D(2024, 6, 19), date_precision="day")
    assert visit.date_label == "18 June 2024–19 June 2024"


def test_year_precision_spans_the_whole_year():
    event = make_event(start_date=D(2000, 7, 19), date_precision="year")
    assert event.date_range == (D(2000, 1, 1), D(2000, 12, 31))


def test_end_before_start_is_refused_in_form_and_database():
    event = Event(title="Backwards", start_date=D(2024, 6, 19), end_date=D(2024, 6, 18))
    with pytest.raises(ValidationError, match="before the start date"):
        event.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()


def test_participants_carry_roles():
    visit = make_event("State visit")
    putin, kim = make_actor("Vladimir Putin"), make_actor("Kim Jong Un")
    visit.participations.create(actor=putin, role="guest")
    visit.participations.create(actor=kim, role="host")
    roles = {p.actor.name: p.role for p in visit.participations.all()}
    assert roles == {"Vladimir Putin": "guest", "Kim Jong Un": "host"}
    assert visit.get_absolute_url() == f"/events/{visit.slug}/"
