"""The reader's way around in headless Chromium at 1280 and 390 px: the top navigation, the
browse indexes, breadcrumbs, the faceted list, search by alias and the source page's stances;
axe-core finds no violation on any of them, nothing scrolls sideways, screenshots are kept."""

import re
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


SOURCE = "/sources/putins-visit-to-north-korea-after-a-24-year-absence/"
PAGES = {
    "actors": "/actors/",
    "sources": "/sources/",
    "events": "/events/",
    "tags": "/tags/",
    "timeline": "/timeline/",
    "claims": "/claims/",
    "claims-faceted": "/claims/?subject=north-korea&disputed=yes",
    "search-alias": "/claims/?q=Moscow",
    "source": SOURCE,
    "source-disputing": f"{SOURCE}?stance=disputes",
}


@pytest.mark.parametrize("name", PAGES)
def test_browse_pages_are_accessible_and_fit_both_widths(site, open_page, name):
    assert check_page(open_page, site + PAGES[name], name) == []


def test_a_reader_narrows_the_list_with_the_facet_controls(site, open_page):
    page = open_page(f"{site}/claims/", 390)

    def listed():
        return int(page.locator(".summary").text_content().split()[0])

    before = listed()
    subject = page.get_by_label("About", exact=True)
    russia = next(
        o for o in subject.locator("option").all_text_contents() if o.startswith("Russia")
    )
    subject.select_option(label=russia)
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**subject=russia**")
    after = listed()
    assert 0 < after < before
    assert page.get_by_label("About", exact=True).input_value() == "russia"
    assert page.errors == []


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


def test_supporting_and_disputing_highlights_look_different(site, open_page):
    page = open_page(site + PAGES["source"])
    style = "m => [getComputedStyle(m).backgroundColor, getComputedStyle(m).borderBottomStyle]"
    supports = page.locator(".article-text mark.supports").first.evaluate(style)
    disputes = page.locator(".article-text mark.disputes").first.evaluate(style)
    assert supports != disputes and supports[1] != disputes[1]  # not by colour alone
    page.screenshot(path=ARTIFACTS / "browse-source-top-desktop.png")
    page.locator(".article-text mark.disputes").first.scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "browse-source-disputes-desktop.png")
    phone = open_page(site + PAGES["source"], 390)
    phone.screenshot(path=ARTIFACTS / "browse-source-top-phone.png")
    page.get_by_role("link", name=re.compile("^Disputing")).click()
    page.wait_for_url("**stance=disputes")
    assert page.locator(".article-text mark.supports").count() == 0
    assert page.locator(".article-text mark.disputes").count() > 0
    assert page.errors == []
