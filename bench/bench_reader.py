"""The other reader pages at scale: actor, source, event, tag, map and the home timeline.

Each page is served uncached (PAGE_CACHE_SECONDS=0) by gunicorn from the run's database and,
side by side, from a small one (SMALL_CLAIMS, same generator and seed). For every page, in
turn: the bare Django view, the page on the run's database, the page on the small one. Rows:

- req/s ÷ the bare view measured just before it (the issue's target: ≥ 0.15 at 1M);
- req/s at the run's size ÷ req/s at SMALL_CLAIMS (target ≥ 0.8: a page stays flat);
- the page's queries at the run's size minus at SMALL_CLAIMS (must be 0).

Pages: the actor with the most published claims (as claimant or subject) and twenty around the
median, the source with the most published evidence and twenty around the median, twenty events
and tags around the median, the whole actor map, and the home page (its timeline). URLs are
picked, and queries counted, in a subprocess per database (`python -m bench.bench_reader
--pick`), so both databases go through the same code.
"""

import json
import os
import subprocess
import sys

from bench import datasets
from bench.core import PROJECT_DIR, Result
from bench.http import REFERENCE_PATH, load, serve

SMALL_CLAIMS = 10_000
QUICK_SMALL_CLAIMS = 200
AROUND_MEDIAN = 20
AT_LEAST_BARE = 0.15
AT_LEAST_SMALL = 0.8
PAGES = (
    "actor, most claims",
    "actor, typical",
    "source, biggest",
    "source, typical",
    "event, typical",
    "tag, typical",
    "actor map",
    "home (timeline)",
)
QUICK_PAGES = ("actor, most claims", "source, biggest", "actor map")  # --quick: a smoke run


def _around_median(ranked, n=AROUND_MEDIAN):
    """`n` items from the middle of `ranked` (a list sorted by size)."""
    middle = len(ranked) // 2
    start = max(0, middle - n // 2)
    return ranked[start : start + n]


def pick():
    """{page: [urls]} and {page: queries of its first URL} on the configured database."""
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from taggit.models import Tag

    from claims import public
    from claims.models import Actor, Claim, Event, Source

    published = Claim.objects.published()
    counts = {}
    for field in ("claimant", "subjects"):
        rows = published.exclude(**{field: None}).values_list(field).annotate(n=Count("pk"))
        for pk, n in rows.order_by():
            counts[pk] = counts.get(pk, 0) + n
    actors = sorted(counts, key=lambda pk: (-counts[pk], pk))
    evidence = (
        public.evidence()
        .values_list("passage__source")
        .annotate(n=Count("pk"))
        .order_by("-n", "passage__source")
    )
    sources = [pk for pk, _ in evidence]
    events = [
        pk
        for pk, _ in published.exclude(event=None)
        .values_list("event")
        .annotate(n=Count("pk"))
        .order_by("-n", "event")
    ]
    tags = [
        pk
        for pk, _ in public.tags()
        .annotate(n=Count("taggit_taggeditem_items"))
        .values_list("pk", "n")
        .order_by("-n", "pk")
    ]

    def urls(model, pks):
        slugs = dict(model.objects.filter(pk__in=pks).values_list("pk", "slug"))
        prefix = {Actor: "actors", Source: "sources", Event: "events", Tag: "tags"}[model]
        return [f"/{prefix}/{slugs[pk]}/" for pk in pks]

    pages = {
        "actor, most claims": urls(Actor, actors[:1]),
        "actor, typical": urls(Actor, _around_median(actors)),
        "source, biggest": urls(Source, sources[:1]),
        "source, typical": urls(Source, _around_median(sources)),
        "event, typical": urls(Event, _around_median(events)),
        "tag, typical": urls(Tag, _around_median(tags)),
        "actor map": ["/map/"],
        "home (timeline)": ["/"],
    }
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    queries = {}
    for page, page_urls in pages.items():
        client.get(page_urls[0])  # warm: the first request of a process compiles more
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page_urls[0])
        assert response.status_code == 200, (page_urls[0], response.status_code)
        queries[page] = len(captured.captured_queries)
    return pages, queries


def _pick_in(env):
    done = subprocess.run(
        [sys.executable, "-m", "bench.bench_reader", "--pick"],
        cwd=PROJECT_DIR,
        env={**env, "PAGE_CACHE_SECONDS": "0"},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _small_database(ctx):
    claims = QUICK_SMALL_CLAIMS if ctx.quick else SMALL_CLAIMS
    url, env, _ = datasets.prepare(ctx.db, claims, ctx.seed, ctx.workdir, log=lambda _: None)
    return claims, env


def _rate(base, urls, seconds):
    load([base + u for u in urls[:20]], seconds=min(1.0, seconds), concurrency=4)  # warm up
    return load([base + u for u in urls], seconds=seconds, concurrency=4)


def run(ctx):
    seconds = 0.5 if ctx.quick else 5.0
    small_claims, small_env = _small_database(ctx)
    if small_claims >= ctx.claims:
        return []  # nothing to compare with: run at a bigger size
    big_pages, big_queries = _pick_in(ctx.env)
    small_pages, small_queries = _pick_in(small_env)
    results = []
    uncached = {"PAGE_CACHE_SECONDS": "0"}
    with serve({**ctx.env, **uncached}) as big, serve({**small_env, **uncached}) as small:
        for page in QUICK_PAGES if ctx.quick else PAGES:
            bare = _rate(big, [REFERENCE_PATH], seconds)
            at_size = _rate(big, big_pages[page], seconds)
            at_small = _rate(small, small_pages[page], seconds)
            results += [
                Result.compare(
                    ctx,
                    f"{page}: uncached req/s vs bare view",
                    at_size.rps,
                    bare.rps,
                    unit="req/s",
                    at_least=AT_LEAST_BARE,
                ),
                Result.compare(
                    ctx,
                    f"{page}: req/s vs at {small_claims:,} claims",
                    at_size.rps,
                    at_small.rps,
                    unit="req/s",
                    at_least=AT_LEAST_SMALL,
                ),
                Result.count(
                    ctx,
                    f"{page}: queries ({big_queries[page]}) minus at {small_claims:,} claims",
                    big_queries[page] - small_queries[page],
                    at_most=0,
                ),
                Result.count(ctx, f"{page}: errors", at_size.errors + at_small.errors, at_most=0),
            ]
    return results


if __name__ == "__main__" and sys.argv[1:] == ["--pick"]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
    import django

    django.setup()
    print(json.dumps(pick()))
