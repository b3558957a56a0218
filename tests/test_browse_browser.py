"""The reader's way around in headless Chromium at 1280 and 390 px: the top navigation, the
browse indexes, breadcrumbs, the faceted list, search by alias and the source page's stances;
axe-core finds no violation on any of them, nothing scrolls sideways, screenshots are kept."""

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
WIDTHS = {"desktop": 1280, "phone": 390}


def check_page(open_page, url, name):
    """Open `url` at both widths; return the problems found (and keep a screenshot of each)."""
    from axe_playwright_python.sync_playwright import Axe

    ARTIFACTS.mkdir(exist_ok=True)
    problems = []
    for label, width in WIDTHS.items():
        page = open_page(url, width)
        page.screenshot(path=ARTIFACTS / f"browse-{name}-{label}.png", full_page=True)
        if page.evaluate("() => document.documentElement.scrollWidth > innerWidth"):
            problems.append(f"{name} at {width}px scrolls sideways")
        if page.errors:
            problems.append(f"{name}: console errors {page.errors}")
        for v in Axe().run(page).response["violations"]:
            problems.append(f"{name} at {width}px: {v['id']} ({v['impact']}): {v['help']}")
    return problems


@pytest.mark.parametrize("name", ["actors", "sources", "events", "tags", "timeline"])
def test_browse_pages_are_accessible_and_fit_both_widths(site, open_page, name):
    assert check_page(open_page, f"{site}/{name}/", name) == []


def test_a_reader_walks_from_the_navigation_to_an_actor_and_back(site, open_page):
    page = open_page(f"{site}/", 390)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Actors").click()
    page.wait_for_url(f"{site}/actors/")
    assert page.get_by_role("heading", level=1).text_content() == "Actors"
    page.get_by_role("link", name="Russia", exact=True).click()
    page.wait_for_url(f"{site}/actors/russia/")
    crumbs = page.get_by_role("navigation", name="Breadcrumb")
    assert crumbs.is_visible()
    crumbs.get_by_role("link", name="Actors").click()
    page.wait_for_url(f"{site}/actors/")
    assert page.errors == []
