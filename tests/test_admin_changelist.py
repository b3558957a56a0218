"""The claim changelist: columns, filters, search, and a fixed number of queries per page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim, Evidence
from tests.admin_forms import login
from tests.factories import add_evidence, make_actor, make_claim, make_event, make_passage

pytestmark = pytest.mark.django_db

LIST = "/admin/claims/claim/"


def _claims(n):
    actors = [make_actor(f"Speaker {i}") for i in range(3)]
    passage = make_passage()
    for i in range(n):
        claim = make_claim(f"Claim {i} about the talks.", claimant=actors[i % 3])
        claim.tags.add(f"tag{i % 4}", "talks")
        add_evidence(claim, passage)
        if i % 5 == 0:
            add_evidence(claim, make_passage(), stance=Evidence.Stance.DISPUTES, actors=actors[:2])


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx), response


def test_changelist_queries_do_not_grow_with_rows(client):
    login(client, superuser=True)
    _claims(5)
    few, _ = _queries(client, LIST)
    _claims(95)
    many, response = _queries(client, LIST)
    assert len(response.context["cl"].result_list) == 100
    assert many == few


def test_changelist_of_100_rows_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    login(client, superuser=True)
    _claims(100)
    # session, user, count, the page of claims (annotated), their tags, the tag filter's choices
    with django_assert_num_queries(6):
        response = client.get(LIST)
    assert len(response.context["cl"].result_list) == 100


def test_filtered_and_searched_page_queries_are_fixed_too(client):
    login(client, superuser=True)
    _claims(10)
    actor = Claim.objects.first().claimant
    url = f"{LIST}?q=talks&disputed=yes&status__exact=published&claimant={actor.pk}"
    few, _ = _queries(client, url)
    _claims(60)
    many, _ = _queries(client, url)
    assert many == few


def test_columns_show_claimant_status_disputed_sources_and_tags(client):
    login(client, superuser=True)
    claimant = make_actor("Dmitry Peskov")
    claim = make_claim("The visit was a success.", claimant=claimant)
    claim.tags.add("diplomacy", "visits")
    add_evidence(claim, make_passage())
    add_evidence(claim, make_passage())
    add_evidence(claim, make_passage(), stance=Evidence.Stance.DISPUTES)
    body = client.get(LIST).content.decode()
    for text in ("The visit was a success.", "Dmitry Peskov", "Published", "diplomacy, visits"):
        assert text in body
    row = client.get(LIST).context["cl"].result_list[0]
    assert row.supporting_sources == 2 and row.is_disputed


def test_disputed_reads_as_a_warning_not_a_green_tick(client):
    login(client, superuser=True)
    disputed = make_claim("Everyone agrees on this.")
    add_evidence(disputed, make_passage(), stance=Evidence.Stance.DISPUTES)
    make_claim("Nobody disputes this.")
    body = client.get(LIST).content.decode()
    assert '<span class="stance-disputed">⚑ disputed</span>' in body
    assert "icon-yes" not in body and "icon-no" not in body  # the admin's ✓ / ✗ images
    assert body.count("⚑ disputed") == 1


@pytest.mark.parametrize(
    "query, expected",
    [
        ("disputed=yes", {"Claim 0 about the talks."}),
        ("status__exact=draft", {"A draft."}),
        ("kind__exact=prediction", {"A draft."}),
        ("q=draft", {"A draft."}),
    ],
)
def test_filters_and_search(client, query, expected):
    login(client, superuser=True)
    _claims(2)
    make_claim("A draft.", status=Claim.Status.DRAFT, kind=Claim.Kind.PREDICTION)
    cl = client.get(f"{LIST}?{query}").context["cl"]
    assert {c.statement for c in cl.result_list} == expected


def test_claimant_event_source_and_tag_filters(client):
    login(client, superuser=True)
    speaker, event = make_actor("Speaker"), make_event("Summit")
    passage = make_passage()
    mine = make_claim("Mine.", claimant=speaker, event=event)
    add_evidence(mine, passage)
    mine.tags.add("picked")
    make_claim("Other.")
    tag = mine.tags.get()
    for query in (
        f"claimant={speaker.pk}",
        f"event={event.pk}",
        f"source={passage.source_id}",
        f"tag={tag.pk}",
    ):
        cl = client.get(f"{LIST}?{query}").context["cl"]
        assert [c.statement for c in cl.result_list] == ["Mine."], query


def test_autocomplete_filter_renders_only_the_chosen_actor(client):
    login(client, superuser=True)
    chosen = make_actor("Chosen Speaker")
    make_actor("Someone Else Entirely")
    body = client.get(f"{LIST}?claimant={chosen.pk}").content.decode()
    assert "Chosen Speaker" in body
    assert "Someone Else Entirely" not in body
    assert "admin-autocomplete" in body


@pytest.mark.parametrize("value", ["abc", "<script>", "1e9"])
def test_bad_filter_value_is_not_a_500(client, value):
    login(client, superuser=True)
    response = client.get(LIST, {"claimant": value})
    assert response.status_code in (200, 302)


def test_actor_autocomplete_finds_aliases(client):
    login(client)
    actor = make_actor("Kim Jong Un")
    actor.aliases.create(name="Supreme Leader")
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "claims", "model_name": "claim", "field_name": "claimant", "term": "suprem"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Kim Jong Un"]


@pytest.mark.postgres_only
def test_claim_search_uses_a_trigram_index_on_postgresql():
    with connection.cursor() as cursor:
        # Force the planner off the table scan and plain index scans: only a bitmap scan over
        # an index that can answer LIKE '%…%' (the trigram one) is left.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = Claim.objects.filter(statement__icontains="talks").query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "claim_statement_trgm" in plan


def test_drafts_can_be_sorted_by_extraction_confidence(client):
    login(client, superuser=True)
    for statement, confidence in (("Sure.", 0.9), ("Unsure.", 0.3), ("By hand.", None)):
        make_claim(statement, status=Claim.Status.DRAFT, extraction_confidence=confidence)
    column = list(client.get(LIST).context["cl"].list_display).index("confidence")
    ascending = client.get(f"{LIST}?o={column}").context["cl"].result_list
    sure_first = client.get(f"{LIST}?o=-{column}").context["cl"].result_list
    values = [c.extraction_confidence for c in ascending if c.extraction_confidence is not None]
    assert values == [0.3, 0.9]
    assert [c.statement for c in sure_first if c.extraction_confidence][0] == "Sure."
    assert ">confidence<" in client.get(LIST).content.decode().lower().replace("</a>", "<")
