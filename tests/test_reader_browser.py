"""The reader pages in headless Chromium: the seed's disputed claim, the jump into the
article, console errors, axe-core accessibility, and screenshots of every page type."""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
DISPUTED = "russia-north-korea-transferred-military-weapons"
WIDTHS = {"phone": 360, "desktop": 1280}


def test_disputed_seed_claim_shows_mark_disputers_and_both_passages(site, open_page):
    page = open_page(f"{site}/claims/{DISPUTED}/")
    mark = page.locator(".disputed-mark")
    assert mark.is_visible()
    assert "Disputed" in mark.text_content()
    assert "Russia" in mark.text_content() and "North Korea" in mark.text_content()
    supporting = page.locator("section", has=page.locator("#supports-h")).locator("blockquote mark")
    disputing = page.locator("section.disputing blockquote mark")
    assert supporting.count() >= 1 and supporting.first.is_visible()
    assert disputing.count() >= 1 and disputing.first.is_visible()
    assert page.errors == []


def test_passage_link_lands_on_the_highlighted_passage_in_the_source(site, open_page):
    page = open_page(f"{site}/claims/{DISPUTED}/")
    link = page.locator("section.disputing figcaption cite a").first
    target = link.get_attribute("href").split("#")[1]
    link.click()
    page.wait_for_url(re.compile(f"/sources/.+#{target}$"))
    highlighted = page.locator(f"#{target} + mark")
    assert highlighted.is_visible()
    box = highlighted.bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"]  # scrolled into view
    assert DISPUTED in highlighted.locator("a").get_attribute("href")
    assert page.errors == []


def test_keyboard_users_can_skip_to_content_with_a_visible_focus(site, open_page):
    page = open_page(f"{site}/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => [document.activeElement.className, getComputedStyle(document.activeElement)"
        ".outlineStyle]"
    )
    assert focused == ["skip-link", "solid"]
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#main"


def page_urls(base):
    from taggit.models import Tag

    from claims.models import Actor, Event, Source

    return {
        "home": "/",
        "claim-list": "/claims/",
        "claim-list-filtered": "/claims/?disputed=yes&q=weapons",
        "claim": f"/claims/{DISPUTED}/",
        "source": Source.objects.order_by("pk").first().get_absolute_url(),
        "actor": Actor.objects.get(slug="russia").get_absolute_url(),
        "event": Event.objects.exclude(claims=None).first().get_absolute_url(),
        "tag": f"/tags/{Tag.objects.order_by('pk').first().slug}/",
        "not-found": "/claims/no-such-claim/",
    }


def test_every_page_type_has_no_serious_accessibility_violation(site, open_page):
    from axe_playwright_python.sync_playwright import Axe

    ARTIFACTS.mkdir(exist_ok=True)
    axe = Axe()
    problems = []
    for name, path in page_urls(site).items():
        for label, width in WIDTHS.items():
            page = open_page(site + path, width)
            page.screenshot(path=ARTIFACTS / f"reader-{name}-{label}.png", full_page=True)
            overflow = page.evaluate("() => document.documentElement.scrollWidth > innerWidth")
            if overflow:
                problems.append(f"{name} at {width}px scrolls sideways")
            if page.errors and name != "not-found":  # its 404 status is logged
                problems.append(f"{name}: console errors {page.errors}")
            for v in axe.run(page).response["violations"]:
                if v["impact"] in ("serious", "critical"):
                    problems.append(f"{name} at {width}px: {v['id']} ({v['impact']}): {v['help']}")
    assert problems == []
