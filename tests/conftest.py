import pytest


@pytest.fixture
def seeded(db):
    """The seed knowledge base, loaded through the real command path."""
    from claims.seeding import load_seeds

    load_seeds()


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
