import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims.models import Passage
from tests.factories import make_passage, make_source

pytestmark = pytest.mark.django_db


def test_passage_text_is_taken_from_source_offsets():
    source = make_source()
    passage = Passage(source=source, start=0, end=6)
    passage.save()
    assert passage.text == "Leader"
    assert passage.text == source.text[passage.start : passage.end]


def test_passage_whose_text_differs_from_source_is_refused_with_clear_message():
    source = make_source()
    passage = Passage(source=source, start=0, end=6, text="Readers")
    with pytest.raises(ValidationError, match="does not match the source at offsets 0–6"):
        passage.save()
    assert not Passage.objects.filter(source=source, kind=Passage.Kind.QUOTE).exists()


def test_passage_outside_the_source_is_refused():
    source = make_source()
    with pytest.raises(ValidationError, match="outside the source"):
        Passage(source=source, start=5, end=len(source.text) + 1).save()
    with pytest.raises(ValidationError, match="outside the source"):
        Passage(source=source, start=5, end=5).save()


def test_passage_offsets_count_code_points_not_bytes():
    source = make_source(text="Seoul’s claim — “denied” by Pyongyang.")
    quote = "“denied”"
    passage = make_passage(source, quote)
    assert (passage.start, passage.end) == (16, 24)
    assert source.text[passage.start : passage.end] == quote


def test_prefix_and_suffix_are_recorded_for_reanchoring():
    source = make_source()
    passage = make_passage(source, "the talks were friendly")
    assert source.text[: passage.start].endswith(passage.prefix)
    assert source.text[passage.end :].startswith(passage.suffix)
    assert passage.prefix.endswith("The minister said ")


def test_database_refuses_passage_whose_length_disagrees_with_offsets():
    source = make_source()
    with pytest.raises(IntegrityError), transaction.atomic():
        Passage.objects.bulk_create([Passage(source=source, start=0, end=3, text="Lead")])


def test_database_refuses_empty_or_reversed_span():
    source = make_source()
    with pytest.raises(IntegrityError), transaction.atomic():
        Passage.objects.bulk_create([Passage(source=source, start=4, end=4, text="")])


def test_same_span_twice_is_one_passage():
    source = make_source()
    make_passage(source, "Leaders met")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_passage(source, "Leaders met")
