"""The actor map (claims/actor_map.py, templates/claims/_actor_map.html, /map/)."""

import pytest
from django.http import QueryDict

from claims import actor_map
from claims.filters import filter_claims
from claims.models import Actor, Claim, Evidence
from tests.factories import add_evidence, make_actor, make_claim, make_passage

pytestmark = pytest.mark.django_db


def edges(graph):
    return {(e.kind, e.source.actor.slug, e.target.actor.slug): e.claims for e in graph.edges}


def listed(edge):
    """The claims the edge's link lists."""
    query = QueryDict(edge.url.split("?", 1)[1])
    claims, state = filter_claims(query)
    assert state.errors == []
    return claims.count()


def test_seed_map_shows_russia_and_north_korea_disputing_seoul_and_washington(seeded):
    graph = actor_map.build()
    disputes = {k: n for k, n in edges(graph).items() if k[0] == "disputes"}
    assert disputes == {
        ("disputes", "russia", "united-states"): 1,
        ("disputes", "russia", "south-korea"): 1,
        ("disputes", "north-korea", "united-states"): 1,
        ("disputes", "north-korea", "south-korea"): 1,
    }
    assert graph.summary == [
        "Russia and North Korea dispute claims by South Korea and United States"
    ]
    # Seoul's charge is on the supporting passage, Washington is the claimant: both assert it
    assert edges(graph)["about", "south-korea", "russia"] == 1
    assert edges(graph)["about", "united-states", "north-korea"] == 2


def test_every_edge_links_to_exactly_the_claims_it_counts(seeded):
    graph = actor_map.build()
    assert len(graph.edges) > 10
    for edge in graph.edges:
        assert listed(edge) == edge.claims, edge.description


def test_a_claimant_also_on_the_supporting_passage_counts_once():
    washington, seoul, moscow = make_actor("Washington"), make_actor("Seoul"), make_actor("Moscow")
    claim = make_claim("Arms moved.", claimant=washington)
    claim.subjects.set([moscow])
    add_evidence(claim, make_passage(), actors=[washington, seoul])
    add_evidence(claim, make_passage(), actors=[washington])
    add_evidence(claim, make_passage(), stance=Evidence.Stance.DISPUTES, actors=[moscow])
    graph = actor_map.build()
    assert edges(graph) == {
        ("about", "washington", "moscow"): 1,
        ("about", "seoul", "moscow"): 1,
        ("disputes", "moscow", "washington"): 1,
        ("disputes", "moscow", "seoul"): 1,
    }
    for edge in graph.edges:
        assert listed(edge) == 1


def test_drafts_source_voice_and_self_claims_draw_no_edge():
    a, b = make_actor("Alpha"), make_actor("Beta")
    draft = make_claim("Draft.", claimant=a, status=Claim.Status.DRAFT)
    draft.subjects.set([b])
    own_voice = make_claim("The source says so.")
    own_voice.subjects.set([a, b])
    itself = make_claim("Alpha about Alpha.", claimant=a)
    itself.subjects.set([a])
    graph = actor_map.build()
    assert not graph and graph.edges == [] and graph.nodes == []


def test_weights_follow_the_number_of_claims():
    a, b, c = make_actor("Alpha"), make_actor("Beta"), make_actor("Gamma")
    for _ in range(4):
        make_claim(claimant=a).subjects.set([b])
    make_claim(claimant=a).subjects.set([c])
    graph = actor_map.build()
    width = {e.target.actor.slug: e.width for e in graph.edges}
    assert width["beta"] > width["gamma"]
    node = {n.actor.slug: n for n in graph.nodes}
    assert node["alpha"].r > node["gamma"].r


def test_layout_is_deterministic_and_inside_the_drawing(seeded):
    first, second = actor_map.build(), actor_map.build()
    for one, two in zip(first.drawings, second.drawings, strict=True):
        assert [(s.x, s.y) for s in one.spots] == [(s.x, s.y) for s in two.spots]
        for spot in one.spots:
            assert 0 <= spot.x <= one.width and 0 <= spot.y <= one.height


def test_actor_page_map_is_centred_on_the_actor(client, seeded):
    graph = actor_map.build(Actor.objects.get(slug="south-korea"))
    assert {(k, s, t) for k, s, t in edges(graph)} == {
        ("about", "south-korea", "russia"),
        ("about", "south-korea", "north-korea"),
        ("disputes", "russia", "south-korea"),
        ("disputes", "north-korea", "south-korea"),
    }
    html = client.get("/actors/south-korea/").content.decode()
    assert 'class="map-node map-state current" href="/actors/south-korea/"' in html
    assert 'href="/claims/?disputed_by=russia&amp;asserted_by=south-korea"' in html
    assert 'href="/map/"' in html


def test_map_page_links_nodes_and_edges_and_has_a_table(client, seeded):
    html = client.get("/map/").content.decode()
    assert html.count('<svg class="map-svg') == 2  # wide and tall drawings
    assert 'href="/actors/russia/" tabindex="-1"' in html
    assert 'href="/claims/?disputed_by=north-korea&amp;asserted_by=united-states"' in html
    assert "Russia and North Korea dispute claims by South Korea and United States." in html
    table = html[html.index('<div class="picture-data">') :]
    assert (
        '<th scope="row"><a href="/actors/russia/">Russia</a></th><td>disputes claims by' in table
    )


def test_map_page_without_claims_says_so(client, db):
    response = client.get("/map/")
    assert response.status_code == 200
    assert "No published claim links two actors yet." in response.content.decode()


def test_hostile_actor_names_are_escaped(client):
    evil = make_actor('<script>alert("x")</script>')
    make_claim(claimant=evil).subjects.set([make_actor("Target")])
    html = client.get("/map/").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_map_runs_five_queries_whatever_the_number_of_claims(client, django_assert_num_queries):
    a, b = make_actor("Alpha"), make_actor("Beta")
    make_claim(claimant=a).subjects.set([b])
    with django_assert_num_queries(5):  # four grouped counts, the actors
        client.get("/map/")
    for i in range(30):
        claim = make_claim(claimant=make_actor(f"Claimant {i}"))
        claim.subjects.set([a, b])
        add_evidence(claim, stance=Evidence.Stance.DISPUTES, actors=[make_actor(f"Critic {i}")])
    client.get("/map/")  # a new version of the page cache after the edits
    with django_assert_num_queries(0):  # cached like the other pages
        client.get("/map/")
    from django.core.cache import cache

    cache.clear()
    with django_assert_num_queries(5):
        response = client.get("/map/")
    html = response.content.decode()
    # 60 claims-about edges and 30 disputes: the heaviest 40 are drawn, half the room for disputes
    assert html.count('class="map-edge disputes"') == 2 * actor_map.MAX_EDGES // 2
    assert html.count('class="map-edge ') == 2 * actor_map.MAX_EDGES
    assert "the heaviest links are shown" in html


def test_an_actors_map_counts_its_edges_as_the_whole_map_does(seeded):
    whole = actor_map.edge_counts()
    actors = {a for _, a, _ in whole} | {b for _, _, b in whole}
    assert len(actors) > 5
    for actor in Actor.objects.filter(pk__in=actors):
        around = {k: n for k, n in whole.items() if actor.pk in k[1:]}
        # (it may also hold pairs of actors beside it on the same supporting passage)
        assert around.items() <= actor_map.edge_counts(actor).items(), actor.name


def test_an_actors_map_runs_five_queries_whatever_the_number_of_claims(
    django_assert_num_queries,
):
    a, b = make_actor("Alpha"), make_actor("Beta")
    make_claim(claimant=a).subjects.set([b])
    with django_assert_num_queries(5):  # four counts (each a UNION of the two roles), the actors
        actor_map.build(a)
    for i in range(30):
        claim = make_claim(claimant=make_actor(f"Claimant {i}"))
        claim.subjects.set([a, b])
        add_evidence(claim, actors=[a])
        add_evidence(claim, stance=Evidence.Stance.DISPUTES, actors=[make_actor(f"Critic {i}")])
    with django_assert_num_queries(5):
        graph = actor_map.build(a)
    assert len(graph.edges) == actor_map.MAX_EDGES


def test_label_sweep_finds_every_overlapping_pair_and_no_other():
    import random

    rng = random.Random(7)
    for _ in range(50):
        boxes = []
        for _ in range(rng.randint(0, 45)):
            x, y = rng.uniform(0, 700), rng.uniform(0, 500)
            w, h = rng.uniform(10, 120), rng.uniform(10, 40)
            boxes.append((x, y, x + w, y + h))
        boxes += boxes[:3]  # identical boxes overlap too
        every_pair = [
            (i, j)
            for i, a in enumerate(boxes)
            for j, b in enumerate(boxes)
            if i < j and min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])
        ]
        assert actor_map._overlapping(boxes) == every_pair
