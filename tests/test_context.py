from claims.context import MAX_SIDE, in_context

TEXT = "Heading\nFirst one. Second has the quote inside. Third one! Fourth.\nNext paragraph."


def test_context_is_one_sentence_either_side_within_the_paragraph():
    start = TEXT.index("the quote")
    ctx = in_context(TEXT, start, start + len("the quote"))
    assert ctx.before == "First one. Second has "
    assert ctx.passage == "the quote"
    assert ctx.after == " inside. Third one!"
    assert not ctx.cut_before and ctx.cut_after


def test_context_never_crosses_into_another_paragraph():
    start = TEXT.index("Next")
    ctx = in_context(TEXT, start, start + 4)
    assert ctx.before == "" and ctx.after == " paragraph."


def test_context_of_a_huge_sentence_is_bounded_and_starts_on_a_word():
    text = "word " * 2000 + "QUOTE" + " more" * 2000
    start = text.index("QUOTE")
    ctx = in_context(text, start, start + 5)
    assert len(ctx.before) <= MAX_SIDE and len(ctx.after) <= MAX_SIDE
    assert ctx.before.startswith("word") and ctx.cut_before and ctx.cut_after


def test_quote_spanning_sentences_keeps_them_whole():
    start = TEXT.index("one. Second")
    ctx = in_context(TEXT, start, start + len("one. Second"))
    assert ctx.before == "First "
    assert ctx.after.startswith(" has the quote inside. Third one!")
