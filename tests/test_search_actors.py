"""Search that knows actors: a name or alias in the query stands for the actor (on SQLite and
PostgreSQL alike), the matched words are marked in the results, escaped."""

import re

import pytest

from claims.models import ActorAlias
from tests.factories import make_actor, make_claim

pytestmark = pytest.mark.django_db


def search(client, q, **params):
    response = client.get("/claims/", {"q": q, **params})
    assert response.status_code == 200
    return response.content.decode()


def listed(html):
    found = re.findall(r'<a class="statement" href="[^"]+">(.+?)</a>', html)
    return [re.sub(r"<[^>]+>", "", s) for s in found]


def test_an_alias_finds_the_claims_about_its_actor(client, world):
    ActorAlias.objects.create(actor=world.disputers[0], name="Moscow")  # Russia
    make_claim("An unrelated fact about the weather.")
    html = search(client, "Moscow")
    assert listed(html) == [world.claim.statement]  # Russia is a subject, "Moscow" nowhere
    assert "“Moscow” is one of its names" in html
    assert 'href="/actors/russia/"' in html


def test_spelling_variants_of_a_name_find_the_same_claims(client, world):
    kim = make_actor("Kim Jong Un")
    hyphen = make_claim("Kim Jong-un inspected the factory.")
    spaced = make_claim("Kim Jong Un opened the bridge.")
    about = make_claim("The summit was prepared for months.")
    about.subjects.add(kim)
    make_claim("Kim Jong Il visited Moscow.")
    expected = {hyphen.statement, spaced.statement, about.statement}
    assert set(listed(search(client, "Kim Jong Un"))) == expected
    assert set(listed(search(client, "kim jong-un"))) == expected


def test_other_words_still_narrow_the_actor_claims(client, world):
    ActorAlias.objects.create(actor=world.disputers[0], name="Moscow")
    russia_other = make_claim("Grain exports rose.")
    russia_other.subjects.add(world.disputers[0])
    assert listed(search(client, "Moscow weapons")) == [world.claim.statement]
    assert set(listed(search(client, "Moscow"))) == {world.claim.statement, russia_other.statement}


def test_an_abbreviation_matches_whole_words_in_capitals_only(client, world):
    us = make_actor("United States")
    ActorAlias.objects.create(actor=us, name="US")
    said = make_claim("The US sent an envoy.")
    make_claim("Thus the talks ended.")
    make_claim("They told us nothing.")
    made = make_claim("Sanctions were announced.", claimant=us)
    assert set(listed(search(client, "US"))) == {said.statement, made.statement}


def test_actors_that_are_not_public_do_not_expand_a_search(client, world):
    hidden = make_actor("Hidden Minister")
    ActorAlias.objects.create(actor=hidden, name="Moscow")
    world.draft.claimant = hidden
    world.draft.save()
    html = search(client, "Moscow")
    assert listed(html) == [] and "Hidden Minister" not in html


def test_matched_words_and_names_are_marked_and_escaped(client, world):
    ActorAlias.objects.create(actor=world.disputers[0], name="Moscow")
    world.claim.statement = "Weapons <b>went</b> from Russia to North Korea."
    world.claim.save()
    html = search(client, "Moscow weapons")
    row = html[html.index('<a class="statement"') :]
    row = row[: row.index("</a>")]
    assert '<mark class="hit">Weapons</mark>' in row
    assert '<mark class="hit">Russia</mark>' in row
    assert "&lt;b&gt;went&lt;/b&gt;" in row and "<b>" not in row


def test_a_search_runs_one_more_query_to_find_actors(client, world, django_assert_num_queries):
    with django_assert_num_queries(6):  # count, ids, rows, facets (2), the actors named
        search(client, "Russia weapons")


def test_the_seed_examples(client, seeded):
    moscow = listed(search(client, "Moscow"))
    russia = listed(search(client, "Russia"))
    assert len(moscow) > 0 and set(moscow) <= set(russia)
    assert listed(search(client, "Kim Jong Un")) == listed(search(client, "Kim Jong-un"))
    assert len(listed(search(client, "Kim Jong Un"))) >= 4
