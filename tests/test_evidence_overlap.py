"""Evidence without duplicates (claims/quotes.py): a passage that overlaps, contains or lies
inside a passage already taking the same stance on the claim is refused, with a message naming
that evidence, by the admin's claim form, the evidence admin, the API and the bundle import.
The other stance may overlap (a sentence reporting a claim and denying it)."""

import io

import pytest
from django.core.management import CommandError, call_command

from claims.bundle import write_bundle
from claims.models import Claim, Evidence, Passage
from claims.quotes import first_overlap
from tests.admin_forms import claim_data, login
from tests.api_client import token_client, user_in
from tests.factories import add_evidence, make_claim, make_source

pytestmark = pytest.mark.django_db

TEXT = (
    "Leaders met in the capital.\n"
    "The minister said the talks were friendly and useful.\n"
    "Critics said the talks were friendly only on paper."
)
SENTENCE = "The minister said the talks were friendly and useful."


def _claim_citing(source, quote, stance=Evidence.Stance.SUPPORTS):
    claim = make_claim("The talks went well.", status=Claim.Status.DRAFT)
    start = source.text.index(quote)
    passage = Passage.objects.create(source=source, start=start, end=start + len(quote))
    return claim, add_evidence(claim, passage, stance=stance)


def _post_change(client, claim, existing, rows):
    data = claim_data(claim, evidence=rows, existing=existing)
    return client.post(f"/admin/claims/claim/{claim.pk}/change/", data)


def _errors(response):
    return " ".join(str(e) for e in response.context["errors"])


@pytest.mark.parametrize(
    "quote, how",
    [
        ("were friendly and", "lies inside"),  # a sub-span of the cited sentence
        ("friendly and useful.\nCritics said", "overlaps"),
        ("The minister said the talks were friendly and useful.\nCritics", "contains"),
    ],
)
def test_claim_form_refuses_words_already_cited_with_the_same_stance(client, quote, how):
    login(client)
    source = make_source(TEXT, title="Talks <b>report</b>")
    claim, existing = _claim_citing(source, SENTENCE)
    response = _post_change(client, claim, [existing], [{"source": source, "quote": quote}])
    assert response.status_code == 200
    errors = _errors(response)
    assert f"This passage {how} supporting evidence for this claim" in errors
    # Names the existing evidence, escaped on the page.
    assert f"“{SENTENCE}”" in errors and "“Talks &lt;b&gt;report&lt;/b&gt;”" in errors
    assert "<b>report" not in response.content.decode()
    assert Evidence.objects.count() == 1 and Passage.objects.count() == 1


def test_the_other_stance_may_overlap(client):
    login(client)
    source = make_source(TEXT)
    claim, existing = _claim_citing(source, SENTENCE)
    row = {"source": source, "quote": "were friendly and", "stance": "disputes"}
    response = _post_change(client, claim, [existing], [row])
    assert response.status_code == 302, _errors(response)
    assert sorted(claim.evidence.values_list("stance", flat=True)) == ["disputes", "supports"]


def test_words_elsewhere_in_the_source_are_accepted(client):
    login(client)
    source = make_source(TEXT)
    claim, existing = _claim_citing(source, SENTENCE)
    row = {"source": source, "quote": "Critics said the talks were friendly only on paper."}
    response = _post_change(client, claim, [existing], [row])
    assert response.status_code == 302, _errors(response)
    assert claim.evidence.count() == 2


def test_two_new_rows_that_overlap_are_refused_together(client):
    login(client)
    source = make_source(TEXT)
    rows = [
        {"source": source, "quote": SENTENCE},
        {"source": source, "quote": "the talks were friendly and useful"},
    ]
    response = client.post("/admin/claims/claim/add/", claim_data(evidence=rows))
    assert response.status_code == 200
    assert "overlaps another evidence row" in _errors(response)
    assert not Claim.objects.exists()


def test_evidence_admin_refuses_an_overlapping_passage(client):
    login(client, superuser=True)
    source = make_source(TEXT)
    claim, _ = _claim_citing(source, SENTENCE)
    start = TEXT.index("said the talks")
    inside = Passage.objects.create(source=source, start=start, end=start + 14)
    response = client.post(
        "/admin/claims/evidence/add/",
        {"claim": claim.pk, "passage": inside.pk, "stance": "supports", "note": ""},
    )
    assert response.status_code == 200
    assert "lies inside supporting evidence" in _errors(response)
    assert claim.evidence.count() == 1


def test_api_refuses_an_overlapping_quote_and_writes_nothing(world):
    client = token_client(user_in("Analyst"))
    claim = world.draft
    existing = claim.evidence.select_related("passage").get().passage.text
    before = Evidence.objects.count(), Passage.objects.count()
    response = client.post(
        f"/api/v1/claims/{claim.pk}/evidence/",
        {"source": world.source_a.slug, "quote": existing[4:14]},
        format="json",
    )
    assert response.status_code == 400
    assert "lies inside supporting evidence" in response.content.decode()
    assert existing in response.content.decode()
    assert (Evidence.objects.count(), Passage.objects.count()) == before


def test_bundle_with_overlapping_evidence_is_refused(tmp_path):
    source = make_source(TEXT)
    claim, _ = _claim_citing(source, SENTENCE)
    start = TEXT.index("the talks were friendly")
    inside = Passage.objects.create(source=source, start=start, end=start + 23)
    Evidence.objects.create(claim=claim, passage=inside)  # an old database, before the rule
    path = tmp_path / "kb.jsonl"
    with open(path, "wb") as out:
        write_bundle(out)
    Evidence.objects.all().delete()
    Claim.objects.all().delete()
    Passage.objects.all().delete()
    source.delete()
    with pytest.raises(CommandError, match="overlaps evidence 1 of claim"):
        call_command("import_kb", str(path), stdout=io.StringIO())
    assert not Claim.objects.exists()


def test_first_overlap_compares_source_offsets_and_stance():
    spans = [("a", 0, 10, "supports"), ("b", 0, 10, "supports"), ("a", 5, 8, "disputes")]
    assert first_overlap(spans) is None
    assert first_overlap([*spans, ("a", 9, 12, "supports")]) == (0, 3)
    assert first_overlap([("a", 0, 10, "supports"), ("a", 10, 12, "supports")]) is None


def test_rows_saved_before_the_rule_do_not_block_other_changes(client):
    login(client)
    source = make_source(TEXT)
    claim, first = _claim_citing(source, SENTENCE)
    start = TEXT.index("were friendly and")
    inside = Passage.objects.create(source=source, start=start, end=start + 17)
    second = Evidence.objects.create(claim=claim, passage=inside)  # bypasses the rule
    data = claim_data(claim, existing=[first, second], statement="New words, same evidence.")
    response = client.post(f"/admin/claims/claim/{claim.pk}/change/", data)
    assert response.status_code == 302, _errors(response)
    assert Claim.objects.get().statement == "New words, same evidence."
