"""The publishing rule (claims/publishing.py) on every admin route that writes a claim.

Each route is tried by an Analyst, by the claim's author (a Reviewer) under TWO_PERSON_REVIEW and
by another Reviewer; the claim's status and what an anonymous reader gets (`/claims/<slug>/`
answers 200 or 404) are asserted. Commands and the plain functions: test_publishing_commands.py.
"""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from claims.models import Claim, Evidence
from tests.admin_forms import act, make_user, post_page_form
from tests.factories import add_evidence, make_actor, make_claim, make_passage
from tests.forms import form_data

pytestmark = pytest.mark.django_db

LIST = "/admin/claims/claim/"
Status = Claim.Status
PUBLISHED, IN_REVIEW = Status.PUBLISHED, Status.IN_REVIEW


@pytest.fixture
def team(db, settings):
    settings.TWO_PERSON_REVIEW = False
    return SimpleNamespace(
        analyst=make_user("ana", ("Analyst",)),
        author=make_user("rita", ("Reviewer",)),
        reviewer=make_user("rob", ("Reviewer",)),
    )


def public(claim):
    """What an anonymous reader gets for the claim's page."""
    claim.refresh_from_db()
    return Client().get(f"/claims/{claim.slug}/").status_code


def status(claim):
    return Claim.objects.get(pk=claim.pk).status


def as_(client, user):
    client.force_login(user)
    return client


def a_claim(team, status=PUBLISHED, statement="The minister said the talks were friendly."):
    """A claim by rita with one supporting passage."""
    claim = make_claim(statement, status=status, author=team.author)
    add_evidence(claim, make_passage())
    return claim


def edit(client, claim, **fields):
    return post_page_form(client, f"{LIST}{claim.pk}/change/", "claim_form", **fields)


def _new_claimant(claim, data):
    data["claimant"] = str(make_actor("A new claimant").pk)


def _new_subject(claim, data):
    data["subjects"] = [str(make_actor("A new subject").pk)]


def _stance(claim, data):
    data["evidence-0-stance"] = Evidence.Stance.DISPUTES


def _note(claim, data):
    data["evidence-0-note"] = "A note readers see."


def _drop_evidence(claim, data):
    data["evidence-0-DELETE"] = "on"


def _statement(claim, data):
    data["statement"] = "The minister said the talks had failed."


MATERIAL = {
    "statement": _statement,
    "claimant": _new_claimant,
    "subjects": _new_subject,
    "evidence stance": _stance,
    "evidence note": _note,
    "evidence removed": _drop_evidence,
}


def edit_with(client, claim, change):
    url = f"{LIST}{claim.pk}/change/"
    data = form_data(client.get(url).content.decode(), "claim_form")
    change(claim, data)
    return client.post(url, data, follow=True)


# Finding 5: a material change to a published claim -----------------------------------------


@pytest.mark.parametrize("change", MATERIAL.values(), ids=MATERIAL.keys())
def test_an_analysts_change_to_a_published_claim_sends_it_back_to_review(client, team, change):
    claim = a_claim(team)
    response = edit_with(as_(client, team.analyst), claim, change)
    assert response.status_code == 200
    assert "back to review" in response.content.decode()
    assert status(claim) == IN_REVIEW
    assert public(claim) == 404


@pytest.mark.parametrize(
    "who, two_person, outcome, page",
    [
        ("analyst", False, IN_REVIEW, 404),
        ("reviewer", False, PUBLISHED, 200),
        ("author", True, IN_REVIEW, 404),
        ("reviewer", True, IN_REVIEW, 404),  # editing makes them a contributor of the new version
    ],
)
def test_who_may_keep_an_edited_claim_public(
    client, team, settings, who, two_person, outcome, page
):
    settings.TWO_PERSON_REVIEW = two_person
    claim = a_claim(team)
    edit(as_(client, getattr(team, who)), claim, statement="The minister said the talks failed.")
    assert status(claim) == outcome
    assert public(claim) == page
    last = claim.history.order_by("-history_date", "-history_id").first()
    assert last.history_user == getattr(team, who)
    assert last.statement == "The minister said the talks failed."


def test_a_reviewers_edit_that_stays_public_shows_the_new_words(client, team):
    claim = a_claim(team)
    edit(as_(client, team.reviewer), claim, statement="The minister said the talks went well.")
    claim.refresh_from_db()
    body = Client().get(f"/claims/{claim.slug}/").content.decode()
    assert "The minister said the talks went well." in body


def test_changing_only_the_tags_of_a_published_claim_keeps_it_public(client, team):
    claim = a_claim(team)
    edit(as_(client, team.analyst), claim, tags="diplomacy")
    assert status(claim) == PUBLISHED
    assert list(claim.tags.names()) == ["diplomacy"]
    assert public(claim) == 200


def test_a_change_to_a_claim_in_review_does_not_move_it(client, team):
    claim = a_claim(team, status=IN_REVIEW)
    edit(as_(client, team.analyst), claim, statement="Reworded while in review.")
    assert status(claim) == IN_REVIEW


# Publishing: the form and the bulk action ---------------------------------------------------

PUBLISHERS = [
    ("analyst", False, IN_REVIEW, 404),
    ("author", True, IN_REVIEW, 404),
    ("author", False, PUBLISHED, 200),
    ("reviewer", True, PUBLISHED, 200),
]


@pytest.mark.parametrize("who, two_person, outcome, page", PUBLISHERS)
def test_publishing_from_the_form(client, team, settings, who, two_person, outcome, page):
    settings.TWO_PERSON_REVIEW = two_person
    claim = a_claim(team, status=IN_REVIEW)
    edit(as_(client, getattr(team, who)), claim, status=PUBLISHED)
    assert status(claim) == outcome
    assert public(claim) == page


@pytest.mark.parametrize("who, two_person, outcome, page", PUBLISHERS)
def test_publishing_in_bulk(client, team, settings, who, two_person, outcome, page):
    settings.TWO_PERSON_REVIEW = two_person
    claim = a_claim(team, status=IN_REVIEW)
    act(as_(client, getattr(team, who)), "publish", [claim])
    assert status(claim) == outcome
    assert public(claim) == page


def test_a_reviewer_who_rewrites_and_publishes_at_once_under_two_person_review_waits(
    client, team, settings
):
    settings.TWO_PERSON_REVIEW = True
    claim = a_claim(team, status=IN_REVIEW)
    response = edit(as_(client, team.reviewer), claim, statement="Rewritten.", status=PUBLISHED)
    assert "a different reviewer must approve" in response.content.decode()
    assert status(claim) == IN_REVIEW
    assert public(claim) == 404


# Finding 4: what counts as a second person --------------------------------------------------


def test_a_reviewer_who_rewrote_an_ingested_claim_cannot_publish_it_alone(client, team, settings):
    from claims.ingest.reading import article_from_text
    from claims.ingest.writer import ingest_article

    settings.TWO_PERSON_REVIEW = True
    make_actor("Park Jin")
    ingest_article(article_from_text("Park Jin said the talks were friendly.\n", name="a.txt"))
    claim = Claim.objects.get()
    assert claim.author is None and claim.status == Status.DRAFT
    as_(client, team.reviewer)
    edit(client, claim, statement="Park Jin said the talks were very friendly.", status=IN_REVIEW)
    body = act(client, "publish", [claim]).content.decode()
    assert "two-person review" in body
    assert status(claim) == IN_REVIEW and public(claim) == 404

    act(as_(client, team.author), "publish", [claim])  # someone who did not write it
    assert status(claim) == PUBLISHED and public(claim) == 200


def test_an_untouched_claim_without_author_needs_one_reviewer(client, team, settings):
    settings.TWO_PERSON_REVIEW = True
    claim = make_claim(status=IN_REVIEW)  # as ingest, seeds and import_kb leave it: no author
    act(as_(client, team.reviewer), "publish", [claim])
    assert status(claim) == PUBLISHED and public(claim) == 200


def test_an_analysts_withdraw_then_submit_is_not_a_second_person(client, team, settings):
    settings.TWO_PERSON_REVIEW = True
    claim = a_claim(team, status=IN_REVIEW)
    as_(client, team.analyst)
    act(client, "withdraw", [claim])
    act(client, "submit_for_review", [claim])
    act(as_(client, team.author), "publish", [claim])
    assert status(claim) == IN_REVIEW and public(claim) == 404


def test_an_analysts_edit_is_not_an_approval(client, team, settings):
    settings.TWO_PERSON_REVIEW = True
    claim = a_claim(team, status=IN_REVIEW)
    edit(as_(client, team.analyst), claim, statement="The analyst's words.")
    act(as_(client, team.author), "publish", [claim])
    assert status(claim) == IN_REVIEW and public(claim) == 404


def test_another_reviewers_approval_lets_the_author_publish_that_exact_version(
    client, team, settings
):
    settings.TWO_PERSON_REVIEW = True
    claim = a_claim(team, status=IN_REVIEW)
    body = act(as_(client, team.reviewer), "approve", [claim]).content.decode()
    assert "Approved 1 claim." in body
    assert status(claim) == IN_REVIEW  # approving does not publish
    act(as_(client, team.author), "publish", [claim])
    assert status(claim) == PUBLISHED and public(claim) == 200


def test_an_approval_stops_counting_once_the_claim_changes(client, team, settings):
    settings.TWO_PERSON_REVIEW = True
    claim = a_claim(team, status=IN_REVIEW)
    act(as_(client, team.reviewer), "approve", [claim])
    as_(client, team.author)
    edit(client, claim, statement="Changed after the approval.")
    act(client, "publish", [claim])
    assert status(claim) == IN_REVIEW and public(claim) == 404


def test_an_approval_by_yourself_does_not_count(client, team, settings):
    settings.TWO_PERSON_REVIEW = True
    claim = a_claim(team, status=IN_REVIEW)
    as_(client, team.author)
    act(client, "approve", [claim])
    act(client, "publish", [claim])
    assert status(claim) == IN_REVIEW


def test_an_analyst_has_no_approve_action(client, team):
    as_(client, team.analyst)
    claim = a_claim(team, status=IN_REVIEW)
    choices = [c[0] for c in client.get(LIST).context["action_form"].fields["action"].choices]
    assert "approve" not in choices
    act(client, "approve", [claim])
    act(as_(client, team.author), "publish", [claim])
    assert status(claim) == PUBLISHED  # two-person review is off: the author alone may


def test_bulk_publish_runs_the_same_queries_for_three_claims_or_thirty(team, settings):
    from claims import publishing

    settings.TWO_PERSON_REVIEW = True
    counts = []
    for n in (3, 30):
        claims = [a_claim(team, status=IN_REVIEW, statement=f"Claim {i} of {n}.") for i in range(n)]
        reviewer = type(team.reviewer).objects.get(pk=team.reviewer.pk)  # no cached permissions
        with CaptureQueriesContext(connection) as queries:
            moved, skipped = publishing.move(
                Claim.objects.filter(pk__in=[c.pk for c in claims]), PUBLISHED, reviewer
            )
        assert moved == n and not skipped
        counts.append(len(queries))
    assert counts[0] == counts[1]


# Finding 2: History → revert ----------------------------------------------------------------


def version(claim, **fields):
    return claim.history.filter(**fields).order_by("-history_date", "-history_id").first()


def revert(client, claim, record, **fields):
    url = f"{LIST}{claim.pk}/history/{record.history_id}/"
    return post_page_form(client, url, "historicalclaim_form", **fields)


@pytest.mark.parametrize("chosen", [None, PUBLISHED])
def test_an_analyst_cannot_publish_through_history_revert(client, team, chosen):
    claim = a_claim(team, status=IN_REVIEW, statement="The reviewed words.")
    act(as_(client, team.reviewer), "publish", [claim])
    act(as_(client, team.analyst), "withdraw", [claim])
    published = version(claim, status=PUBLISHED)
    extra = {"status": chosen} if chosen else {}
    revert(client, claim, published, statement="The analyst's words.", **extra)
    assert status(claim) != PUBLISHED
    assert public(claim) == 404
    words = Claim.objects.get(pk=claim.pk).statement
    assert words == ("The analyst's words." if chosen is None else "The reviewed words.")


def test_an_author_cannot_publish_their_rewrite_through_history_revert(client, team, settings):
    settings.TWO_PERSON_REVIEW = True
    claim = a_claim(team, status=IN_REVIEW, statement="The reviewed words.")
    act(as_(client, team.reviewer), "publish", [claim])
    as_(client, team.author)
    act(client, "withdraw", [claim])
    published = version(claim, status=PUBLISHED)
    revert(client, claim, published, statement="The author's new words.")
    assert Claim.objects.get(pk=claim.pk).statement == "The author's new words."
    act(client, "submit_for_review", [claim])
    act(client, "publish", [claim])
    assert status(claim) != PUBLISHED
    assert public(claim) == 404


@pytest.mark.parametrize(
    "who, two_person, outcome, page",
    [
        ("analyst", False, IN_REVIEW, 404),
        ("reviewer", False, PUBLISHED, 200),
        ("author", True, IN_REVIEW, 404),
        ("reviewer", True, IN_REVIEW, 404),
    ],
)
def test_reverting_a_published_claim_to_older_words(
    client, team, settings, who, two_person, outcome, page
):
    claim = a_claim(team, statement="The first words.")  # published, approved by nobody
    edit(as_(client, team.reviewer), claim, statement="The second words.")
    assert status(claim) == PUBLISHED
    settings.TWO_PERSON_REVIEW = two_person
    first = version(claim, statement="The first words.")
    revert(as_(client, getattr(team, who)), claim, first)
    claim.refresh_from_db()
    assert claim.statement == "The first words."
    assert claim.status == outcome
    assert public(claim) == page


def test_a_revert_is_refused_when_the_claim_changed_after_the_form_was_opened(client, team):
    claim = a_claim(team, status=Status.DRAFT, statement="The first words.")
    edit(as_(client, team.author), claim, statement="The second words.")
    first = version(claim, statement="The first words.")
    as_(client, team.analyst)
    url = f"{LIST}{claim.pk}/history/{first.history_id}/"
    opened = form_data(client.get(url).content.decode(), "historicalclaim_form")
    edit(as_(client, team.reviewer), claim, statement="The third words.")
    response = as_(client, team.analyst).post(url, opened)
    assert "Someone saved this claim by rob" in response.content.decode()
    claim.refresh_from_db()
    assert claim.statement == "The third words."


# Finding 3: restore from the deleted-claims page --------------------------------------------


def delete(client, claim):
    response = client.post(f"{LIST}{claim.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Claim.objects.filter(pk=claim.pk).exists()


def restore(client, claim):
    return client.post(f"{LIST}deleted/{claim.pk}/restore/", follow=True)


@pytest.mark.parametrize(
    "who, two_person, outcome, page",
    [
        ("analyst", False, IN_REVIEW, 404),
        ("reviewer", False, PUBLISHED, 200),
        ("author", True, IN_REVIEW, 404),
        ("reviewer", True, PUBLISHED, 200),
    ],
)
def test_restoring_a_deleted_published_claim(
    client, team, settings, who, two_person, outcome, page
):
    settings.TWO_PERSON_REVIEW = two_person
    claim = a_claim(team)
    delete(as_(client, team.reviewer), claim)
    response = restore(as_(client, getattr(team, who)), claim)
    assert status(claim) == outcome
    assert public(claim) == page
    if outcome == IN_REVIEW:
        assert "in review" in response.content.decode()


def test_a_restored_claim_remembers_who_approved_it(client, team, settings):
    settings.TWO_PERSON_REVIEW = True
    claim = a_claim(team, status=IN_REVIEW)
    act(as_(client, team.reviewer), "publish", [claim])  # rob approves rita's exact version
    delete(client, claim)
    restore(as_(client, team.author), claim)
    assert status(claim) == PUBLISHED and public(claim) == 200


def test_a_restored_claim_remembers_who_changed_it(client, team, settings):
    settings.TWO_PERSON_REVIEW = True
    claim = make_claim("Nobody's draft.", status=IN_REVIEW)
    edit(as_(client, team.reviewer), claim, statement="Rob's rewrite.")
    delete(client, claim)
    restore(client, claim)
    act(client, "publish", [claim])
    assert status(claim) == IN_REVIEW and public(claim) == 404


def test_a_restored_draft_stays_a_draft(client, team):
    claim = a_claim(team, status=Status.DRAFT)
    delete(as_(client, team.reviewer), claim)
    restore(client, claim)
    assert status(claim) == Status.DRAFT


# Evidence and passages changed from their own admin pages ------------------------------------


def test_changing_evidence_on_its_own_page_sends_the_claim_back_to_review(client, team):
    claim = a_claim(team)
    evidence = claim.evidence.get()
    url = f"/admin/claims/evidence/{evidence.pk}/change/"
    post_page_form(as_(client, team.analyst), url, "evidence_form", stance="disputes")
    assert Evidence.objects.get(pk=evidence.pk).stance == "disputes"
    assert status(claim) == IN_REVIEW and public(claim) == 404


def test_adding_evidence_on_its_own_page_sends_the_claim_back_to_review(client, team):
    claim = a_claim(team)
    passage = make_passage()
    as_(client, team.analyst)
    response = client.post(
        "/admin/claims/evidence/add/",
        {"claim": claim.pk, "passage": passage.pk, "stance": "disputes", "note": ""},
    )
    assert response.status_code == 302
    assert claim.evidence.count() == 2
    assert status(claim) == IN_REVIEW and public(claim) == 404


def test_deleting_evidence_on_its_own_page_sends_the_claim_back_to_review(client, team):
    claim = a_claim(team)
    evidence = claim.evidence.get()
    as_(client, team.analyst)
    response = client.post(f"/admin/claims/evidence/{evidence.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert status(claim) == IN_REVIEW and public(claim) == 404


def test_a_reviewer_changing_evidence_keeps_the_claim_public(client, team):
    claim = a_claim(team)
    evidence = claim.evidence.get()
    url = f"/admin/claims/evidence/{evidence.pk}/change/"
    post_page_form(as_(client, team.reviewer), url, "evidence_form", note="Checked.")
    assert status(claim) == PUBLISHED and public(claim) == 200


def test_moving_a_quoted_passage_sends_its_published_claim_back_to_review(client, team):
    claim = a_claim(team)
    passage = claim.evidence.get().passage
    quote = "Leaders met"
    url = f"/admin/claims/passage/{passage.pk}/change/"
    response = post_page_form(
        as_(client, team.analyst),
        url,
        "passage_form",
        start=passage.start,
        end=passage.start + len(quote),
        text=quote,
    )
    assert response.status_code == 200
    passage.refresh_from_db()
    assert passage.text == quote
    assert status(claim) == IN_REVIEW and public(claim) == 404


def test_the_claim_form_says_who_wrote_it_and_who_approved_this_version(client, team, settings):
    settings.TWO_PERSON_REVIEW = True
    claim = a_claim(team, status=IN_REVIEW)
    act(as_(client, team.reviewer), "approve", [claim])
    body = client.get(f"{LIST}{claim.pk}/change/").content.decode()
    assert "Written or changed by: rita." in body
    assert "This version approved by: rob." in body
    edit(as_(client, team.analyst), claim, statement="A later change.")
    body = client.get(f"{LIST}{claim.pk}/change/").content.decode()
    assert "Written or changed by: ana, rita." in body
    assert "This version approved by: nobody yet." in body
