"""Issue 19's last part in Chromium at 1280 and 390 px: the claim page's review and dates, the
ranked search list, the admin home's evidence changes; screenshots go to artifacts/."""

from pathlib import Path

import pytest

from tests.test_analyst_browser import _axe_serious

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
WIDTHS = (1280, 390)


def _fits(page, width):
    return page.evaluate("document.documentElement.scrollWidth") <= width


def test_claim_page_shows_review_and_dates_and_search_is_ranked(site, open_page):
    from django.contrib.auth.models import User

    from claims import public
    from claims.models import ReviewMark

    claim = public.claims().order_by("pk").first()
    reviewer = User.objects.create_user("rev", first_name="Rita", last_name="Reviewer")
    ReviewMark.objects.create(claim=claim, kind="approved", user=reviewer, fingerprint="f")
    ARTIFACTS.mkdir(exist_ok=True)
    for width in WIDTHS:
        page = open_page(f"{site}{claim.get_absolute_url()}", width)
        reviewed = page.locator("dd.reviewed")
        assert "Rita Reviewer" in reviewed.inner_text()
        assert page.get_by_text("First published").is_visible()
        assert _fits(page, width)
        assert _axe_serious(page) == []
        page.screenshot(path=str(ARTIFACTS / f"claim-trust-{width}.png"), full_page=True)
        page = open_page(f"{site}/claims/?q=Moscow", width)
        assert page.locator("#sort option:checked").inner_text() == "best match"
        assert _fits(page, width)
        assert _axe_serious(page) == []
        page.screenshot(path=str(ARTIFACTS / f"search-ranked-{width}.png"), full_page=True)
        assert page.errors == []


def test_admin_home_lists_evidence_changes(site, browser):
    from django.contrib.auth.models import User

    # (a superuser: the groups' data migration does not survive an earlier test's flush)
    User.objects.create_superuser("homeanalyst", password="s3cret-pass")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{site}/admin/")
    page.fill("#id_username", "homeanalyst")
    page.fill("#id_password", "s3cret-pass")
    page.click("input[type=submit]")
    page.locator("#evidence-changes").wait_for()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        section = page.locator("#evidence-changes")
        assert section.locator("tbody tr").count() == 10  # the seeds' evidence
        assert _fits(page, width)
        assert _axe_serious(page) == []
        page.screenshot(path=str(ARTIFACTS / f"admin-home-changes-{width}.png"), full_page=True)
    page.close()
