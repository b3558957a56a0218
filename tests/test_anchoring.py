import pytest

from claims.anchoring import QuoteAmbiguous, QuoteNotFound, find_quote

TEXT = "He said yes.\nShe said no.\nHe said yes.\nThey said yes, twice: yes."


def test_unique_quote_resolves_to_exact_offsets():
    anchor = find_quote(TEXT, "She said no.")
    assert TEXT[anchor.start : anchor.end] == "She said no."
    assert anchor.prefix.endswith("He said yes.\n")


def test_missing_quote_is_reported():
    with pytest.raises(QuoteNotFound, match="does not occur"):
        find_quote(TEXT, "Nobody said anything.")


def test_empty_quote_is_reported():
    with pytest.raises(QuoteNotFound, match="empty"):
        find_quote(TEXT, "  ")


def test_quote_in_a_verbatim_repeated_paragraph_anchors_to_the_first_copy():
    anchor = find_quote(TEXT, "He said yes.")
    assert anchor.start == 0


def test_ambiguous_quote_lists_offsets_and_asks_for_context():
    with pytest.raises(QuoteAmbiguous, match="add a prefix or suffix") as info:
        find_quote(TEXT, "yes")
    assert len(info.value.offsets) == 4


def test_prefix_and_suffix_pick_one_occurrence():
    anchor = find_quote(TEXT, "yes", prefix="twice: ")
    assert TEXT[anchor.start - 7 : anchor.end] == "twice: yes"
    assert find_quote(TEXT, "yes", suffix=", twice").start == TEXT.index("yes, twice")


def test_curly_and_straight_quotes_match_each_other_without_moving_offsets():
    text = "Russia’s leader called it a “friendly state visit.”"
    anchor = find_quote(text, 'Russia\'s leader called it a "friendly state visit."')
    assert (anchor.start, anchor.end) == (0, len(text))
    assert anchor.text == text
