"""Search results ranked: the statement's own words and the actors' roles first, quotes
after, newest first on ties (SQLite and PostgreSQL alike); the list's query count unchanged."""

import pytest
from django.core.cache import cache

from claims.models import ActorAlias, Evidence
from tests.factories import add_evidence, make_actor, make_claim, make_passage, make_source
from tests.test_search_actors import listed, search

pytestmark = pytest.mark.django_db


def quoting(statement, text):
    """A claim whose only passage of evidence is `text`."""
    claim = make_claim(statement)
    add_evidence(claim, make_passage(make_source(text), text))
    return claim


def test_statement_matches_come_before_quote_matches_newest_first_on_ties(client):
    old = make_claim("Grain shipments resumed in June.")
    quoted = quoting("Exports went up.", "Grain shipments resumed, the ministry said.")
    new = make_claim("Grain shipments resumed after the deal.")
    assert listed(search(client, "grain shipments")) == [
        new.statement,
        old.statement,
        quoted.statement,
    ]


def test_a_named_actor_ranks_statements_naming_it_then_its_roles_then_quotes(client):
    russia = make_actor("Russia", kind="state")
    ActorAlias.objects.create(actor=russia, name="Moscow")
    named = make_claim("Russia denied the report.")
    claimed = make_claim("The report was false.", claimant=russia)
    disputing = make_claim("Troops crossed the border.")
    add_evidence(
        disputing,
        make_passage(make_source("Officials rejected it.")),
        stance=Evidence.Stance.DISPUTES,
        actors=[russia],
    )
    in_quote = quoting("A deal was signed.", "Moscow signed a deal on Friday.")
    newest_named = make_claim("Moscow welcomed the deal.")
    assert listed(search(client, "Moscow")) == [
        newest_named.statement,
        named.statement,
        disputing.statement,
        claimed.statement,
        in_quote.statement,
    ]


def test_other_words_must_be_in_the_statement_to_rank_first(client):
    russia = make_actor("Russia", kind="state")
    about = make_claim("Sanctions on Russia were extended.")
    words_in_quote = quoting("Russia spoke.", "New sanctions were announced.")
    first = make_claim("Sanctions were extended.", claimant=russia)
    ranked = listed(search(client, "Russia sanctions"))
    assert ranked == [about.statement, first.statement, words_in_quote.statement]


def test_another_sort_replaces_the_ranking_and_the_form_says_which(client):
    old = make_claim("Grain shipments resumed in June.")
    quoted = quoting("Exports went up.", "Grain shipments resumed, the ministry said.")
    html = search(client, "grain")
    assert listed(html) == [old.statement, quoted.statement]
    assert '<option value="relevance" selected>best match</option>' in html
    html = search(client, "grain", sort="newest")
    assert listed(html) == [quoted.statement, old.statement]
    assert '<option value="newest" selected>newest</option>' in html
    assert "best match" not in search_page_without_query(client)


def search_page_without_query(client):
    return client.get("/claims/").content.decode()


def test_ranking_adds_no_query_whatever_the_number_of_results(client, django_assert_num_queries):
    russia = make_actor("Russia", kind="state")
    make_claim("Russia denied the report.")
    with django_assert_num_queries(6):  # count, ids, rows, facets (2), the actors named
        search(client, "Russia report")
    for n in range(30):
        make_claim(f"Report {n} about Russia.", claimant=russia if n % 2 else None)
        quoting(f"Claim {n}.", f"Russia filed report {n}.")
    cache.clear()  # the list page is cached
    with django_assert_num_queries(6):
        html = search(client, "Russia report")
    assert len(listed(html)) == 25


def test_the_api_does_not_offer_relevance_and_keeps_newest_first(client):
    old = make_claim("Grain shipments resumed in June.")
    quoted = quoting("Exports went up.", "Grain shipments resumed, the ministry said.")
    assert client.get("/api/v1/claims/", {"q": "grain", "sort": "relevance"}).status_code == 400
    body = client.get("/api/v1/claims/", {"q": "grain"}).json()
    rows = body.get("results", body)
    assert [r["statement"] for r in rows] == [quoted.statement, old.statement]
