"""Evidence by quote: a claim's inline finds (or creates) the passage from pasted words."""

import pytest

from claims.admin.claims import _evidence_beside_statement
from claims.models import Claim, Evidence, Passage
from tests.admin_forms import claim_data, login
from tests.factories import add_evidence, make_actor, make_claim, make_source

pytestmark = pytest.mark.django_db

ADD = "/admin/claims/claim/add/"
TEXT = (
    "Leaders met in the capital.\n"
    "The minister said the talks were friendly.\n"
    "Critics said the talks were friendly only on paper."
)


def test_pasted_quote_creates_passage_at_its_offsets(client):
    user = login(client)
    source = make_source(TEXT)
    russia = make_actor("Russia", kind="state")
    data = claim_data(
        evidence=[{"source": source, "quote": "the talks were friendly.", "actors": [russia.pk]}],
        statement="The talks were friendly.",
    )
    response = client.post(ADD, data)
    assert response.status_code == 302, response.context["errors"]
    claim = Claim.objects.get(statement="The talks were friendly.")
    assert claim.author == user and claim.status == Claim.Status.DRAFT
    evidence = claim.evidence.get()
    start = TEXT.index("the talks were friendly.")
    assert (evidence.passage.start, evidence.passage.end) == (start, start + 24)
    assert evidence.passage.text == "the talks were friendly."
    assert list(evidence.actors.all()) == [russia]


def test_quote_reuses_an_existing_passage(client):
    login(client)
    source = make_source(TEXT)
    existing = Passage.objects.create(source=source, start=0, end=27)
    data = claim_data(evidence=[{"source": source, "quote": "Leaders met in the capital."}])
    assert client.post(ADD, data).status_code == 302
    assert Evidence.objects.get().passage == existing
    assert Passage.objects.filter(source=source).count() == 1


def test_missing_quote_is_a_form_error_and_saves_nothing(client):
    login(client)
    source = make_source(TEXT)
    data = claim_data(evidence=[{"source": source, "quote": "The talks collapsed."}])
    response = client.post(ADD, data)
    assert response.status_code == 200
    assert "Quote not found" in response.content.decode()
    assert "does not occur in the source" in response.content.decode()
    assert not Claim.objects.exists() and not Passage.objects.exists()


def test_ambiguous_quote_asks_for_context_and_saves_nothing(client):
    login(client)
    source = make_source(TEXT)
    data = claim_data(evidence=[{"source": source, "quote": "the talks were friendly"}])
    response = client.post(ADD, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ambiguous quote" in body and "occurs 2 times" in body and "prefix or suffix" in body
    assert not Claim.objects.exists() and not Passage.objects.exists()


def test_prefix_resolves_an_ambiguous_quote(client):
    login(client)
    source = make_source(TEXT)
    data = claim_data(
        evidence=[{"source": source, "quote": "the talks were friendly", "prefix": "Critics said "}]
    )
    assert client.post(ADD, data).status_code == 302
    assert Evidence.objects.get().passage.start == TEXT.index("Critics said ") + 13


def test_disputing_evidence_with_actors_makes_the_claim_disputed(client):
    login(client)
    source = make_source(TEXT)
    critics = make_actor("Critics", kind="group")
    data = claim_data(
        evidence=[
            {"source": source, "quote": "The minister said the talks were friendly."},
            {
                "source": source,
                "quote": "only on paper",
                "stance": "disputes",
                "actors": [critics.pk],
            },
        ]
    )
    assert client.post(ADD, data).status_code == 302
    claim = Claim.objects.with_dispute_state().get()
    assert claim.is_disputed and claim.disputed_by == "Critics"


def test_same_passage_twice_is_refused(client):
    login(client)
    source = make_source(TEXT)
    row = {"source": source, "quote": "Leaders met in the capital."}
    response = client.post(ADD, claim_data(evidence=[row, dict(row)]))
    assert response.status_code == 200
    assert "given twice" in response.content.decode()
    assert not Claim.objects.exists()


@pytest.mark.parametrize("quote", ["", "   ", "<script>alert(1)</script>", "a\x00b"])
def test_hostile_or_empty_quote_is_refused_cleanly(client, quote):
    login(client)
    source = make_source(TEXT)
    response = client.post(ADD, claim_data(evidence=[{"source": source, "quote": quote}]))
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert not Claim.objects.exists()


def test_change_page_shows_each_passage_in_context(client):
    login(client)
    source = make_source(TEXT)
    claim = make_claim(status=Claim.Status.DRAFT)
    start = TEXT.index("the talks were friendly.")
    passage = Passage.objects.create(source=source, start=start, end=start + 24)
    add_evidence(claim, passage)
    body = client.get(f"/admin/claims/claim/{claim.pk}/change/").content.decode()
    assert "The minister said <mark>the talks were friendly.</mark>" in body


def test_unchanged_existing_evidence_is_kept_on_save(client):
    login(client)
    source = make_source(TEXT)
    claim = make_claim(status=Claim.Status.DRAFT)
    start = TEXT.index("Critics said the talks were friendly")
    passage = Passage.objects.create(source=source, start=start + 13, end=start + 36)
    evidence = add_evidence(claim, passage)
    data = claim_data(claim, existing=[evidence], statement="Changed words.")
    response = client.post(f"/admin/claims/claim/{claim.pk}/change/", data)
    assert response.status_code == 302, response.context["errors"]
    assert Evidence.objects.get().passage == passage


def test_draft_change_page_shows_its_passages_in_their_article_beside_the_statement(client):
    login(client)
    source = make_source(TEXT + " <b>Nobody</b> objected. Talks resume on Monday.")
    claim = make_claim(status=Claim.Status.DRAFT, statement="The minister said the talks…")
    start = TEXT.index("the talks were friendly.")
    add_evidence(claim, Passage.objects.create(source=source, start=start, end=start + 24))
    start = TEXT.index("Critics said")
    disputes = Passage.objects.create(source=source, start=start, end=start + 12)
    add_evidence(claim, disputes, stance=Evidence.Stance.DISPUTES)
    body = client.get(f"/admin/claims/claim/{claim.pk}/change/").content.decode()
    row = body[body.index('class="form-row field-statement') :]
    row = row[: row.index('class="form-row field-claimant')]
    assert 'name="statement"' in row and 'class="evidence-beside"' in row
    assert "The minister said <mark>the talks were friendly.</mark>" in row
    # two sentences after the disputing quote, escaped
    assert "<mark>Critics said</mark> the talks were friendly only on paper." in row
    assert "&lt;b&gt;Nobody&lt;/b&gt; objected." in row
    assert row.index('class="stance-supports"') < row.index('class="stance-disputes"')


def test_evidence_beside_the_statement_costs_one_query_whatever_the_rows(
    django_assert_num_queries,
):
    # (the inline below it costs queries per row; this column adds one, not one per row)
    source = make_source(TEXT)
    claim = make_claim(status=Claim.Status.DRAFT)
    for start in (0, 28, 71):
        add_evidence(claim, Passage.objects.create(source=source, start=start, end=start + 10))
    with django_assert_num_queries(1):
        html = _evidence_beside_statement(claim)
    assert html.count("<mark>") == 3
