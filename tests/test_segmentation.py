"""Headings, paragraphs and sentences with exact offsets; repeats point to the first copy."""

import pytest

from claims.models import Passage, Source
from claims.seeding import SEEDS_DIR
from claims.segmentation import segments, sentences
from claims.sources import store_source
from claims.text import normalize_article_text

SEEDS = sorted(SEEDS_DIR.glob("0*.txt"))


def split(text):
    return [text[a:b] for a, b in sentences(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Mr. Kim met Dr. Lee in the U.S. capital. They talked.",
            ["Mr. Kim met Dr. Lee in the U.S. capital.", "They talked."],
        ),
        (
            "He met U.S. officials. They left the U.S. The end.",
            ["He met U.S. officials.", "They left the U.S.", "The end."],
        ),
        (
            "Tensions add complexity to the scene.This shifting dynamic matters.",
            ["Tensions add complexity to the scene.", "This shifting dynamic matters."],
        ),
        (
            'He called it a "friendly visit." The leaders met.',
            ['He called it a "friendly visit."', "The leaders met."],
        ),
        (
            "“It is over,” he said. “We won.” Then silence.",
            ["“It is over,” he said.", "“We won.”", "Then silence."],
        ),
        ("Was it planned? Nobody knows! Maybe.", ["Was it planned?", "Nobody knows!", "Maybe."]),
        (
            "Visit node.js or e.g. this at 5 p.m. today.",
            ["Visit node.js or e.g. this at 5 p.m. today."],
        ),
        (
            "Charges and Rebuttals: Russia denies it. Others do not.",
            ["Russia denies it.", "Others do not."],
        ),
    ],
)
def test_sentences_survive_abbreviations_quotes_and_missing_spaces(text, expected):
    assert split(text) == expected


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_every_segment_of_the_seeds_has_exact_offsets(path):
    text = normalize_article_text(path.read_text(encoding="utf-8"))
    found = segments(text)
    assert {"paragraph", "sentence"} <= {s.kind for s in found}
    for seg in found:
        piece = text[seg.start : seg.end]
        assert piece and piece == piece.strip()
        if seg.repeat_of is not None:
            first = found[seg.repeat_of]
            assert text[first.start : first.end] == piece and first.start < seg.start


def test_seed_000_repeated_paragraphs_and_their_sentences_point_to_first_copies():
    text = normalize_article_text(SEEDS[0].read_text(encoding="utf-8"))
    found = segments(text)
    repeats = [s for s in found if s.repeat_of is not None]
    assert sum(s.kind == "paragraph" for s in repeats) == 4
    assert all(found[s.repeat_of].repeat_of is None for s in repeats)


@pytest.mark.django_db
@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_stored_seed_passages_equal_the_source_text_at_their_offsets(path):
    text = normalize_article_text(path.read_text(encoding="utf-8"))
    source, _ = store_source(text, title=path.name)
    passages = Passage.objects.filter(source=source)
    assert passages.count() == len(segments(text))
    assert passages.filter(kind=Passage.Kind.SENTENCE).exists()
    stored = Source.objects.get(pk=source.pk).text
    for p in passages:
        assert p.text == stored[p.start : p.end]
        assert p.prefix == stored[max(0, p.start - 32) : p.start]
        if p.repeat_of_id:
            assert p.repeat_of.text == p.text
