"""The publishing rule as an Analyst meets it in Chromium: no way to publish, and an edit to a
public claim takes it off the public pages, saying so."""

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


@pytest.fixture
def analyst(transactional_db):
    from tests.admin_forms import make_user

    user = make_user("plain-analyst", groups=("Analyst",))
    user.set_password("s3cret-pass")
    user.save()
    return user


def log_in(page, base, username):
    page.goto(f"{base}/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", "s3cret-pass")
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def test_analyst_cannot_publish_and_an_edit_takes_a_public_claim_back_to_review(
    browser, live_server, analyst
):
    from claims.models import Claim
    from tests.factories import add_evidence, make_claim

    public = make_claim("The ministry says exports doubled.")
    add_evidence(public)
    waiting = make_claim("A claim waiting for a reviewer.", status=Claim.Status.IN_REVIEW)
    add_evidence(waiting)
    base = live_server.url
    reader = browser.new_page(viewport={"width": 1280, "height": 900})
    assert reader.goto(f"{base}{public.get_absolute_url()}").status == 200

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, base, "plain-analyst")
    page.goto(f"{base}/admin/claims/claim/")
    actions = page.locator("select[name=action] option").all_inner_texts()
    assert "Submit selected claims for review" in actions
    assert not any("Publish" in text for text in actions)

    page.goto(f"{base}/admin/claims/claim/{public.pk}/change/")
    page.fill("#id_statement", "The ministry says exports nearly doubled.")
    page.click("input[name=_save]")
    page.wait_for_url(f"{base}/admin/claims/claim/")
    message = page.locator(".messagelist").inner_text()
    assert "went back to review, so it is no longer public" in message
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "admin-edit-back-to-review.png"), full_page=True)

    public.refresh_from_db()
    assert public.status == Claim.Status.IN_REVIEW
    assert reader.goto(f"{base}{public.get_absolute_url()}").status == 404
    waiting.refresh_from_db()
    assert waiting.status == Claim.Status.IN_REVIEW
    page.close()
    reader.close()
