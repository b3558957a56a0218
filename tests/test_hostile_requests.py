"""Random and malformed query strings and paths on every public URL: never a 500.

Seeded randomness, so a failure replays; the failing URL is in the assertion message.
"""

import random

import pytest
from django.test import Client

PARAMS = [
    "q",
    "disputed",
    "claimant",
    "subject",
    "event",
    "tag",
    "source",
    "kind",
    "sort",
    "page",
    "status",
    "format",
    "",
    "q[]",
    "page[0]",
    "__proto__",
    "utm_source",
]
VALUES = [
    "",
    " ",
    "yes",
    "no",
    "maybe",
    "0",
    "-1",
    "1e9",
    "99999999999999999999999999999",
    "1.5",
    "%00",
    "%",
    "%zz",
    "%ff%fe",
    "%c0%af",
    "%e2%80%ae",
    "%ed%a0%80",
    "\u202e",
    "%0d%0aSet-Cookie:x=1",
    "<script>alert(1)</script>",
    "\"'><img src=x onerror=alert(1)>",
    "' OR 1=1 --",
    "'; DROP TABLE claims_claim; --",
    "a" * 5000,
    "weapons & talks | !",
    "!!!",
    "::*:*",
    "\\",
    "..%2f..%2fetc%2fpasswd",
    '=HYPERLINK("http://x")',
    "newest",
    "corroborated",
    "fact",
    "null",
    "undefined",
    "[]",
    "{}",
    "ｗｅａｐｏｎｓ",
    "😀" * 50,
    "%F0%9F%98%80",
    "tag:*",
    "&&&",
    "==",
    "?",
    "#",
    "+",
    "%2B%2B",
    "()",
    "ALL",
    "*",
]
PATH_TAILS = [
    "",
    "x",
    "%00",
    "%ff",
    "..",
    "%2e%2e/",
    "a" * 300,
    "<script>",
    "%3Cscript%3E",
    "ü",
    "%C3%BC",
    "😀",
    "-",
    "_",
    "slug-that-does-not-exist",
    "annotations.json",
    "%0d%0a",
    "./",
    "//",
    ";",
    "~",
]


def _public_urls(world):
    return [
        "/",
        "/claims/",
        f"/claims/{world.claim.slug}/",
        f"/claims/{world.claim.slug}/annotations.json",
        f"/actors/{world.claimant.slug}/",
        f"/events/{world.event.slug}/",
        f"/sources/{world.source_a.slug}/",
        "/tags/arms-transfer/",
        "/claims/export.csv",
        "/healthz",
    ]


def _random_query(rng):
    parts = []
    for _ in range(rng.randint(1, 5)):
        key = rng.choice(PARAMS)
        value = rng.choice(VALUES)
        if rng.random() < 0.2:
            value += rng.choice(VALUES)
        separator = rng.choice(["=", "=", "=", "", "=="])
        parts.append(f"{key}{separator}{value}")
    return rng.choice(["&", "&", ";", "&&"]).join(parts)


@pytest.fixture
def fresh_pages(settings):
    settings.CACHE_MIDDLEWARE_SECONDS = 0  # every request renders: the cache must not hide a 500


@pytest.mark.django_db
def test_random_query_strings_on_every_public_url_never_give_a_500(world, fresh_pages):
    client = Client(raise_request_exception=False)
    rng = random.Random(8)
    for url in _public_urls(world):
        for _ in range(40):
            target = f"{url}?{_random_query(rng)}"
            response = client.get(target)
            assert response.status_code < 500, target


@pytest.mark.django_db
def test_malformed_paths_under_every_public_prefix_never_give_a_500(world, fresh_pages):
    client = Client(raise_request_exception=False)
    for prefix in [
        "/",
        "/claims/",
        "/actors/",
        "/events/",
        "/sources/",
        "/tags/",
        "/admin/",
        f"/claims/{world.claim.slug}/",
    ]:
        for tail in PATH_TAILS:
            for suffix in ("", "/"):
                target = prefix + tail + suffix
                response = client.get(target)
                assert response.status_code < 500, target


@pytest.mark.django_db
def test_odd_methods_and_headers_never_give_a_500(world, fresh_pages):
    client = Client(raise_request_exception=False)
    for url in _public_urls(world):
        for method in ("head", "options", "post", "put", "delete", "patch", "trace"):
            response = getattr(client, method)(url)
            assert response.status_code < 500, (method, url)
        response = client.get(url, HTTP_HOST="evil.example.com")
        assert response.status_code == 400, url  # ALLOWED_HOSTS
        response = client.get(
            url, HTTP_ACCEPT_LANGUAGE="\x00" * 100, HTTP_COOKIE="sessionid=%00;;="
        )
        assert response.status_code < 500, url
