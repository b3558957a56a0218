import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims.models import Passage, Source
from claims.sources import store_source
from claims.text import normalize_article_text
from tests.factories import make_source

pytestmark = pytest.mark.django_db


def test_same_text_stored_twice_is_one_source():
    first, created = store_source("One text.\nTwo lines.", title="A")
    again, created_again = store_source("One text.\nTwo lines.", title="B")
    assert created and not created_again
    assert again.pk == first.pk
    assert Source.objects.count() == 1


def test_database_refuses_a_second_source_with_the_same_text():
    make_source(text="Identical words.")
    with pytest.raises(IntegrityError), transaction.atomic():
        Source(text="Identical words.", title="Copy").save()


def test_clean_names_the_existing_source_with_the_same_text():
    make_source(text="Identical words.", title="The original")
    with pytest.raises(ValidationError, match="already the source “The original”"):
        Source(text="Identical words.", title="Copy").full_clean()


def test_text_of_a_stored_source_cannot_change():
    source = make_source()
    source = Source.objects.get(pk=source.pk)
    source.text = source.text + " More."
    with pytest.raises(ValidationError, match="cannot change"):
        source.save()


def test_normalization_drops_bom_and_windows_newlines():
    assert normalize_article_text("\ufeffOne\r\nTwo\rThree\n") == "One\nTwo\nThree"


def test_stored_source_gets_heading_and_paragraph_passages_with_repeats_marked():
    text = "A Heading\nFirst paragraph here.\nSecond one.\nFirst paragraph here."
    source, _ = store_source(text, title="T")
    passages = list(source.passages.order_by("start"))
    assert [p.kind for p in passages] == ["heading", "paragraph", "paragraph", "paragraph"]
    assert passages[3].repeat_of == passages[1]
    assert all(p.text == text[p.start : p.end] for p in passages)
    assert Passage.objects.filter(repeat_of__isnull=False).count() == 1


def test_source_url_points_to_its_public_page():
    assert (
        make_source(title="Putin in Pyongyang").get_absolute_url() == "/sources/putin-in-pyongyang/"
    )
