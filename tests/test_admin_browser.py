"""The analyst workspace in headless Chromium: log in, add a claim with a pasted quote through
the real admin (select2 autocomplete for the source), see it listed; screenshots of the claim
and source pages go to artifacts/."""

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
TEXT = (
    "Putin visits Pyongyang\n"
    "The Kremlin said the visit would deepen cooperation between the two countries.\n"
    "Critics said the talks produced nothing new."
)


@pytest.fixture
def analyst(transactional_db):
    from django.contrib.auth.models import Group, User

    from tests.admin_forms import ensure_groups

    ensure_groups()
    user = User.objects.create_user("newanalyst", password="s3cret-pass", is_staff=True)
    user.groups.set(Group.objects.filter(name__in=["Analyst", "Reviewer"]))
    return user


def test_analyst_adds_a_claim_with_a_pasted_quote(browser, live_server, analyst):
    from claims.models import Claim, Source

    source = Source(title="Putin visits Pyongyang", text=TEXT)
    source.save()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "newanalyst")
    page.fill("#id_password", "s3cret-pass")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/claims/claim/add/")
    page.fill("#id_statement", "Russia expects deeper cooperation with North Korea.")
    # The evidence row: pick the source through its autocomplete, paste the words.
    page.locator(".field-source .select2-selection").first.click()
    page.locator(".select2-dropdown .select2-search__field").fill("Pyongyang")
    page.locator(".select2-results__option", has_text="Putin visits Pyongyang").click()
    page.fill("#id_evidence-0-quote", "the visit would deepen cooperation")
    page.click("input[name=_save]")
    page.wait_for_url(f"{live_server.url}/admin/claims/claim/")
    assert (
        page.locator("#result_list")
        .get_by_text("Russia expects deeper cooperation with North Korea.")
        .is_visible()
    )
    claim = Claim.objects.get()
    assert claim.evidence.get().passage.text == "the visit would deepen cooperation"

    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    assert page.locator(".passage-context mark").first.is_visible()
    page.screenshot(path=str(ARTIFACTS / "admin-claim-change.png"), full_page=True)
    page.goto(f"{live_server.url}/admin/claims/source/{source.pk}/change/")
    assert page.locator("#article mark").first.is_visible()
    # Selecting words offers "New claim from selection", pre-filling the evidence.
    page.evaluate(
        """() => { const p = document.querySelectorAll('#article .block-text')[2];
        const r = document.createRange(); r.setStart(p.firstChild, 0); r.setEnd(p.firstChild, 7);
        const s = getSelection(); s.removeAllRanges(); s.addRange(r); }"""
    )
    button = page.locator("#selection-claim")
    button.wait_for(state="visible")
    page.screenshot(path=str(ARTIFACTS / "admin-source-change.png"), full_page=True)
    button.click()
    page.wait_for_url("**/admin/claims/claim/add/**")
    assert page.input_value("#id_evidence-0-quote") == "Critics"
    assert page.input_value("#id_evidence-0-suffix").startswith(" said the talks")
    page.goto(f"{live_server.url}/admin/claims/claim/")
    assert page.locator("#changelist-filter .select2-container").count() == 3  # type-ahead
    page.screenshot(path=str(ARTIFACTS / "admin-claim-list.png"), full_page=True)
    assert errors == []
    page.close()


def test_draft_statement_is_rewritten_beside_its_passage_in_the_article(
    browser, live_server, transactional_db
):
    from django.contrib.auth.models import User

    from claims.models import Claim, Evidence, Passage, Source

    # A superuser: the groups' data migration does not survive an earlier test's flush.
    User.objects.create_superuser("newanalyst", password="s3cret-pass")

    source = Source(title="Putin visits Pyongyang", text=TEXT)
    source.save()
    start = TEXT.index("the visit would")
    passage = Passage.objects.create(source=source, start=start, end=start + 34)
    claim = Claim.objects.create(
        statement="The Kremlin said the visit would deepen cooperation.",
        status=Claim.Status.DRAFT,
    )
    Evidence.objects.create(claim=claim, passage=passage)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "newanalyst")
    page.fill("#id_password", "s3cret-pass")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"admin-draft-beside-{width}.png"), full_page=True)
        beside = page.locator(".evidence-beside mark")
        assert beside.first.inner_text() == "the visit would deepen cooperation"
        statement = page.locator("#id_statement").bounding_box()
        article = page.locator(".evidence-beside").bounding_box()
        if width >= 1280:  # side by side
            assert article["x"] >= statement["x"] + statement["width"]
            assert abs(article["y"] - statement["y"]) < 40
        else:  # stacked under it, within the screen
            assert article["y"] > statement["y"] + statement["height"]
        assert article["x"] + article["width"] <= width
    page.fill("#id_statement", "Russia expects deeper cooperation with North Korea.")
    page.click("input[name=_continue]")
    page.locator("ul.messagelist li.success").wait_for()
    claim.refresh_from_db()
    assert claim.statement == "Russia expects deeper cooperation with North Korea."
