"""The source page tells stances apart: supporting and disputing highlights styled apart, a
legend, and a filter (all / supporting / disputing / one claim) that keeps the page's queries."""

import re

import pytest

from claims.models import Evidence
from tests.factories import add_evidence, make_claim
from tests.reader_world import more_claims

pytestmark = pytest.mark.django_db


def page(client, world, query="", status=200):
    response = client.get(f"/sources/{world.source_a.slug}/{query}")
    assert response.status_code == status
    return response.content.decode()


def marks(html):
    """(classes, text) of each highlight in the article (not the legend)."""
    article = html[html.index('<div class="article-text">') :]
    return [
        (classes, re.sub(r"<[^>]+>", "", text))
        for classes, text in re.findall(r'<mark class="([^"]+)"[^>]*>(.*?)</mark>', article)
    ]


def test_supporting_and_disputing_passages_are_marked_apart(client, world):
    found = marks(page(client, world))
    assert ("quote supports", "weapons were transferred in secret") in found
    assert ("quote disputes", "deny that any weapons were transferred") in found


def test_a_passage_cited_both_ways_is_marked_as_both(client, world):
    other = make_claim("Nothing was transferred.")
    add_evidence(other, world.supporting, stance=Evidence.Stance.DISPUTES)
    assert ("quote mixed", "weapons were transferred in secret") in marks(page(client, world))


def test_the_page_has_a_legend_and_counts_per_stance(client, world):
    html = client.get(f"/sources/{world.source_a.slug}/").content.decode()
    legend = html[html.index('class="legend"') : html.index("</nav>", html.index('class="legend"'))]
    assert '<mark class="quote supports">supporting</mark>' in legend
    assert '<mark class="quote disputes">disputing</mark>' in legend
    assert "Supporting (1)" in legend and "Disputing (1)" in legend and "All (2)" in legend


def test_the_stance_filter_shows_only_that_stance(client, world):
    supporting = marks(page(client, world, "?stance=supports"))
    assert [c for c, _ in supporting] == ["quote supports"]
    disputing = marks(page(client, world, "?stance=disputes"))
    assert [t for _, t in disputing] == ["deny that any weapons were transferred"]
    assert "must be supports or disputes" in page(client, world, "?stance=x", status=400)


def test_one_claim_shows_only_its_passages(client, world):
    other = make_claim("The talks were long.")
    add_evidence(other, world.draft.evidence.get().passage)  # "The talks lasted two days"
    assert [t for _, t in marks(page(client, world, f"?claim={other.slug}"))] == [
        "The talks lasted two days"
    ]
    html = client.get(f"/sources/{world.source_a.slug}/").content.decode()
    assert f'<option value="{other.slug}">The talks were long.</option>' in html
    assert "quotes no published claim" in page(client, world, "?claim=nothing", status=400)
    assert "quotes no published claim" in page(
        client, world, f"?claim={world.draft.slug}", status=400
    )


def test_many_highlights_keep_three_queries(
    client, world, django_assert_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        more_claims(world, 40)
    for query in ("", "?stance=disputes", f"?claim={world.claim.slug}"):
        with django_assert_num_queries(3):
            page(client, world, query)
