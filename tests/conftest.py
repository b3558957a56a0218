import pytest


def pytest_collection_modifyitems(config, items):
    """`postgres_only` tests skip on any other database: the suite runs again on PostgreSQL."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (make test runs the suite on it too)")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


def load_published_seeds():
    """The seed knowledge base, loaded through the real command path by someone who may
    publish (as `load_seeds --user` does), so its published claims are public."""
    from django.contrib.auth import get_user_model

    from claims.seeding import load_seeds

    curator = get_user_model().objects.create_superuser("seed-curator")
    load_seeds(publisher=curator)


@pytest.fixture
def seeded(db):
    load_published_seeds()


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test starts with no cached pages (the cache outlives the rolled-back database)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def world(db):
    """A small published knowledge base for the reader page tests (tests/reader_world.py)."""
    from tests.reader_world import build_world

    return build_world()


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium through Playwright. Outside CI a machine without it skips the
    browser tests; in CI (CI=true) that is a failure."""
    import os
    from pathlib import Path

    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("/usr/bin/chromium is missing; CI must run the browser tests")
        pytest.skip("Debian's chromium is not installed (make browser-deps installs it)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # (building their data) happen between page actions, never concurrently with them.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=str(chromium),
                args=[
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                ],
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def site(transactional_db, live_server):
    """The seed knowledge base served by a live server; its base URL."""
    load_published_seeds()
    return live_server.url


@pytest.fixture
def open_page(browser):
    """A function opening a URL at a width; each page collects its console and page errors."""
    pages = []

    def open_(url, width=1280):
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.errors = []
        page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.goto(url)
        pages.append(page)
        return page

    yield open_
    for page in pages:
        page.close()


@pytest.fixture
def scratch(tmp_path):
    """A migrated database for `manage.py` runs in other processes (tests/subprocesses.py)."""
    from tests.subprocesses import scratch_database

    with scratch_database(tmp_path) as url:
        yield url
