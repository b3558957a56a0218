"""A source's admin page: the article with quoted passages highlighted, and "new claim" links
that pre-fill the claim form's evidence."""

import pytest

from claims.models import Claim, Passage
from tests.admin_forms import claim_data, login
from tests.factories import add_evidence, make_claim, make_source

pytestmark = pytest.mark.django_db

TEXT = "A heading\nThe minister said <script>alert(1)</script> the talks were friendly.\nEnd."


def test_source_page_highlights_quoted_passages_and_escapes_text(client):
    login(client)
    source = make_source(TEXT)
    start = TEXT.index("the talks")
    passage = Passage.objects.create(source=source, start=start, end=start + 9)
    claim = make_claim("Talks happened.", status=Claim.Status.DRAFT)
    add_evidence(claim, passage)
    body = client.get(f"/admin/claims/source/{source.pk}/change/").content.decode()
    assert f'href="/admin/claims/claim/{claim.pk}/change/">the talks</a></mark>' in body
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert f"/admin/claims/claim/add/?passage={passage.pk}" in body
    assert "New claim from selection" in body


def test_source_page_query_count_does_not_grow_with_passages(client, django_assert_max_num_queries):
    login(client, superuser=True)
    source = make_source(TEXT)
    for i in range(3):
        add_evidence(make_claim(), Passage.objects.create(source=source, start=i, end=i + 5))
    with django_assert_max_num_queries(25) as few:
        client.get(f"/admin/claims/source/{source.pk}/change/")
    for i in range(3, 30):
        add_evidence(make_claim(), Passage.objects.create(source=source, start=i, end=i + 5))
    with django_assert_max_num_queries(len(few)):
        client.get(f"/admin/claims/source/{source.pk}/change/")


def test_new_claim_from_a_passage_prefills_the_evidence(client):
    login(client)
    source = make_source(TEXT)
    start = TEXT.index("the talks")
    passage = Passage.objects.create(source=source, start=start, end=start + 9)
    response = client.get(f"/admin/claims/claim/add/?passage={passage.pk}")
    form = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert form.initial["source"] == source.pk and form.initial["quote"] == "the talks"
    assert form.initial["prefix"].endswith("</script> ")


def test_new_claim_from_a_selection_saves_with_its_evidence(client):
    login(client)
    source = make_source(TEXT)
    start = TEXT.index("friendly")
    response = client.get(
        "/admin/claims/claim/add/", {"source": source.pk, "quote": "friendly", "start": start}
    )
    initial = response.context["inline_admin_formsets"][0].formset.forms[0].initial
    assert initial["quote"] == "friendly" and initial["suffix"].startswith(".")
    data = claim_data(
        evidence=[{"source": source.pk, **{k: initial[k] for k in ("quote", "prefix", "suffix")}}]
    )
    assert client.post("/admin/claims/claim/add/", data).status_code == 302
    assert Claim.objects.get().evidence.get().passage.start == start


@pytest.mark.parametrize(
    "query", ["passage=abc", "passage=999999", "source=x&quote=a", "source=1&quote=a&start=-5"]
)
def test_bad_prefill_parameters_give_an_empty_form(client, query):
    login(client)
    make_source(TEXT)
    assert client.get(f"/admin/claims/claim/add/?{query}").status_code == 200


def test_text_of_a_stored_source_is_not_editable(client):
    login(client)
    source = make_source(TEXT)
    form = client.get(f"/admin/claims/source/{source.pk}/change/").context["adminform"].form
    assert "text" not in form.fields
