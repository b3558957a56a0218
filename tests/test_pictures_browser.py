"""The timeline and the actor map in headless Chromium: both render for the seed without console
errors, their links lead to the right pages, the screen-reader tables work, axe-core finds no
serious problem, and screenshots (phone and desktop) go to artifacts/."""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
WIDTHS = {"phone": 360, "desktop": 1280}
PAGES = {
    "home": "/",
    "event": "/events/putin-visit-north-korea-2024/",
    "actor": "/actors/russia/",
    "map": "/map/",
}


def test_both_pictures_render_for_the_seed_at_phone_and_desktop_width(site, open_page):
    ARTIFACTS.mkdir(exist_ok=True)
    for label, width in WIDTHS.items():
        home = open_page(f"{site}/", width)
        assert home.locator(".timeline-segment").count() == 4
        assert home.locator(".timeline-svg a.tl-event").count() == 8  # every public seed event
        for bar in home.locator(".tl-bar").all():
            assert bar.is_visible() and bar.bounding_box()["width"] >= 2
        home.locator(".timeline").screenshot(path=ARTIFACTS / f"pictures-timeline-{label}.png")

        shown = "wide" if label == "desktop" else "tall"
        hidden = "tall" if label == "desktop" else "wide"
        atlas = open_page(f"{site}/map/", width)
        drawing = atlas.locator(f"svg.map-{shown}")
        assert drawing.is_visible() and not atlas.locator(f"svg.map-{hidden}").is_visible()
        assert drawing.locator("a.map-edge.disputes").count() == 4
        assert drawing.bounding_box()["width"] <= width
        # the nodes' labels can be read: at least 10 CSS pixels high
        label_box = drawing.locator("a.map-node text", has_text="North Korea").first.bounding_box()
        assert label_box["height"] >= 10
        atlas.locator(".actor-map").screenshot(path=ARTIFACTS / f"pictures-map-{label}.png")

        for page in (home, atlas):
            assert page.errors == []
            assert not page.evaluate("() => document.documentElement.scrollWidth > innerWidth")


def test_a_node_link_leads_to_the_actor_page(site, open_page):
    page = open_page(f"{site}/map/")
    page.locator('svg.map-wide a.map-node[href="/actors/north-korea/"] circle').click()
    page.wait_for_url(re.compile("/actors/north-korea/$"))
    assert page.locator("h1").text_content() == "North Korea"
    assert page.locator("svg.map-wide a.map-node.current").get_attribute("href") == (
        "/actors/north-korea/"
    )
    assert page.errors == []


def test_an_event_link_leads_to_the_event_page(site, open_page):
    page = open_page(f"{site}/", 360)
    page.locator('.timeline-svg a[href="/events/korean-war/"] .tl-bar').click()
    page.wait_for_url(re.compile("/events/korean-war/$"))
    assert page.locator("h1").text_content() == "Korean War"
    assert page.locator(".timeline-svg a.tl-event.current").get_attribute("href") == (
        "/events/korean-war/"
    )
    assert page.errors == []


def test_a_dispute_edge_lists_the_disputed_claim(site, open_page):
    page = open_page(f"{site}/map/")
    edge = page.locator(
        "svg.map-wide a.map-edge.disputes"
        '[href*="disputed_by=russia"][href*="asserted_by=south-korea"]'
    )
    page.goto(site + edge.get_attribute("href"))
    rows = page.locator(".claim-row")
    assert rows.count() == 1
    assert "transferred military weapons" in rows.first.text_content()


def test_the_tables_show_themselves_to_keyboard_users(site, open_page):
    page = open_page(f"{site}/map/")
    table = page.locator(".actor-map .picture-data")
    assert table.bounding_box()["width"] <= 1  # visually hidden, still read by screen readers
    page.locator(".actor-map .picture-data a").first.focus()
    assert table.bounding_box()["width"] > 100


def test_pages_with_pictures_have_no_serious_accessibility_violation(site, open_page):
    from axe_playwright_python.sync_playwright import Axe

    ARTIFACTS.mkdir(exist_ok=True)
    axe = Axe()
    problems = []
    for name, path in PAGES.items():
        for label, width in WIDTHS.items():
            page = open_page(site + path, width)
            page.screenshot(path=ARTIFACTS / f"pictures-{name}-{label}.png", full_page=True)
            if page.errors:
                problems.append(f"{name} at {width}px: console errors {page.errors}")
            for v in axe.run(page).response["violations"]:
                if v["impact"] in ("serious", "critical"):
                    problems.append(f"{name} at {width}px: {v['id']} ({v['impact']}): {v['help']}")
    assert problems == []
