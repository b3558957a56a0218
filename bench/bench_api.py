"""The JSON API under gunicorn against the reader pages it mirrors, in the same run: the claims
list page by page (`/api/v1/claims/?cursor=…` against `/claims/?page=…`) and a claim record
(`/api/v1/claims/<id>/` against `/claims/<slug>/`), all uncached (PAGE_CACHE_SECONDS=0), each
within 1.5× of the page's time (its rate at least 1/1.5 of the page's). And the changes feed:
100,000 entries read from the first to the last, 1,000 a request, at 50,000 rows/s or more.

The changes feed needs entries: a generated knowledge base has none (generate_kb writes in
bulk, without signals), so this adds `FEED_ROWS` entries naming published claims once, and
leaves them (a reused PostgreSQL database keeps them for the next run).
"""

import json
import time
import urllib.request

from bench.core import Result
from bench.http import load, serve

WITHIN = 1.5  # the API's time per request at most this many times the page's
FEED_ROWS = 100_000
FEED_TARGET = 50_000  # rows/s
PAGES = 40


def _get(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


def _urls(base):
    from claims.models import Claim

    published = Claim.objects.published().order_by("-created_at", "-id")
    claims = list(published.values_list("pk", "slug")[:200])
    pages = max(1, min(PAGES, published.count() // 25))
    api_pages, url = [], f"{base}/api/v1/claims/"
    while url and len(api_pages) < pages:
        api_pages.append(url)
        url = _get(url)["next"]
    return {
        "claim list": ([f"{base}/claims/?page={n}" for n in range(1, pages + 1)], api_pages),
        "claim record": (
            [f"{base}/claims/{slug}/" for _, slug in claims],
            [f"{base}/api/v1/claims/{pk}/" for pk, _ in claims],
        ),
    }


def _fill_feed(rows):
    """At least `rows` changes entries (naming published claims); returns how many there are."""
    from claims.changes import Change
    from claims.models import Claim

    have = Change.objects.count()
    if have >= rows:
        return have
    ids = list(Claim.objects.published().values_list("pk", flat=True)[:rows])
    batch = [
        Change(kind=Change.Kind.CLAIM, object_id=ids[i % len(ids)], change=Change.Verb.EDITED)
        for i in range(rows - have)
    ]
    Change.objects.bulk_create(batch, batch_size=5000)
    return Change.objects.count()


def _read_feed(base, rows):
    """Read the feed from the start until `rows` entries came: (entries, seconds)."""
    started, seen, url = time.monotonic(), 0, f"{base}/api/v1/changes/?limit=1000"
    while seen < rows:
        page = _get(url)
        if not page["results"]:
            break
        seen += len(page["results"])
        url = page["next"] + "&limit=1000"
    return seen, time.monotonic() - started


def run(ctx):
    seconds = 0.5 if ctx.quick else 8.0
    feed_rows = 2_000 if ctx.quick else FEED_ROWS
    _fill_feed(feed_rows)
    env = {**ctx.env, "PAGE_CACHE_SECONDS": "0", "API_ANON_RATE": "100000000/minute"}
    results = []
    with serve(env) as base:
        for name, (pages, api) in _urls(base).items():
            load(pages[:10] + api[:10], seconds=min(1.0, seconds), concurrency=4)  # warm up
            page = load(pages, seconds=seconds, concurrency=4)
            endpoint = load(api, seconds=seconds, concurrency=4)
            results.append(
                Result.compare(
                    ctx,
                    f"API {name} req/s vs the HTML page (uncached)",
                    endpoint.rps,
                    page.rps,
                    unit="req/s",
                    at_least=round(1 / WITHIN, 3),
                )
            )
            results.append(
                Result.count(ctx, f"API {name} errors", endpoint.errors + page.errors, at_most=0)
            )
        _read_feed(base, 2_000)  # warm up
        seen, took = _read_feed(base, feed_rows)
        rate = seen / took if took else 0.0
        results.append(
            Result.compare(
                ctx,
                f"changes feed rows/s reading {seen:,} (vs the target rate)",
                rate,
                FEED_TARGET,
                unit="rows/s",
                at_least=1.0,
            )
        )
    return results
