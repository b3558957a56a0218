import re
from html import unescape
from html.parser import HTMLParser

import pytest

from claims.models import Claim, Passage
from claims.sources import store_source
from tests.factories import add_evidence, make_claim
from tests.reader_world import more_claims, quote

pytestmark = pytest.mark.django_db

VOID = {"br", "hr", "img", "input", "link", "meta", "source", "wbr"}


class TagBalance(HTMLParser):
    """Fails on a closing tag that does not close the innermost open element."""

    def __init__(self):
        super().__init__()
        self.stack = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1:]}>"
        self.stack.pop()


def well_formed(html):
    parser = TagBalance()
    parser.feed(html)
    assert parser.stack == []


def source_page(client, source):
    response = client.get(f"/sources/{source.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def test_source_page_shows_metadata_and_the_whole_article(client, world):
    html = source_page(client, world.source_a)
    assert "<h1>Summit report</h1>" in html and "Daily Paper" in html and "19 June 2024" in html
    article = html[html.index('<div class="article-text">') : html.index("</article>")]
    shown = unescape(re.sub(r"<[^>]+>", "", article))
    for line in world.source_a.text.split("\n"):
        assert line in shown
    assert 'href="/claims/?source=summit-report">1 published claim cite' in html


def test_each_published_passage_is_highlighted_anchored_and_linked_to_its_claim(client, world):
    html = source_page(client, world.source_a)
    for passage in (world.supporting, world.disputing):
        anchor = html.index(f'id="p-{passage.pk}"')
        mark = html[anchor : html.index("</mark>", anchor)]
        assert f'href="/claims/{world.claim.slug}/"' in mark
    assert "Disputes: Weapons were transferred" in html


def test_draft_claims_passages_are_not_shown(client, world):
    html = source_page(client, world.source_a)
    assert world.draft.statement not in html
    assert not re.search(r"<mark[^>]*>[^<]*The talks lasted", html)


def test_repeated_paragraph_is_marked_as_a_repeat_of_the_first_copy(client, world):
    html = source_page(client, world.source_a)
    first = Passage.objects.get(source=world.source_a, kind="paragraph", repeat_of=None, start=22)
    repeat = Passage.objects.get(source=world.source_a, repeat_of=first)
    assert f'<p id="p-{repeat.pk}" class="repeat">' in html
    assert f'<a href="#p-{first.pk}">first copy</a>' in html


def test_overlapping_and_nested_quotes_keep_the_html_well_formed(client, world):
    source = world.source_a
    outer = quote(source, "Officials said weapons were transferred in secret. The talks")
    crossing = quote(source, "in secret. The talks lasted two days")
    for passage in (outer, crossing):
        add_evidence(make_claim(f"Overlap {passage.pk}."), passage)
    html = source_page(client, source)
    well_formed(html[html.index("<main") : html.index("</main>") + 7])
    assert html.count(f'id="p-{outer.pk}"') == 1 and html.count(f'id="p-{crossing.pk}"') == 1
    assert 'class="quote supports overlap"' in html


def test_script_in_an_article_is_shown_as_text(client):
    text = "Title\nHe wrote <script>alert(1)</script> & left. It was <b>bold</b>.\n"
    source, _ = store_source(text, title="A <script> title")
    add_evidence(make_claim("He wrote a script."), quote(source, "<script>alert(1)</script> &"))
    html = source_page(client, source)
    assert "<script>alert(1)" not in html and "<b>bold" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in html
    well_formed(html[html.index("<main") : html.index("</main>") + 7])


def test_source_without_published_claims_is_not_found(client, world):
    unused, _ = store_source("Nothing here.\nNo claim cites this text at all.", title="Unused")
    assert client.get(f"/sources/{unused.slug}/").status_code == 404
    Claim.objects.filter(pk=world.claim.pk).update(status=Claim.Status.DRAFT)
    assert client.get(f"/sources/{world.source_b.slug}/").status_code == 404


def test_source_page_runs_a_fixed_number_of_queries(
    client, world, django_assert_num_queries, django_capture_on_commit_callbacks
):
    # source, block passages, published evidence with claims and passages
    with django_assert_num_queries(3):
        source_page(client, world.source_a)
    with django_capture_on_commit_callbacks(execute=True):  # committed: the cache turns over
        more_claims(world, 15)
    with django_assert_num_queries(3):
        source_page(client, world.source_a)
