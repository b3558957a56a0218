"""Reliability: the public pages under 64 concurrent connections, and the database outage drill.

Load: gunicorn (production settings, page cache on as deployed) serves the public pages —
home, claim list pages, searches, claim, actor, event, source and tag pages — to 64
connections for 60 s (--quick: five pages for 2 s). Every response must be a 200; p99 latency
and throughput are shown against the bare Django view under the same 64 connections.

Outage (full run only; tests/test_outage_drill.py runs it in the suite): a private PostgreSQL
cluster is stopped for 4 s under load (bench/drill.py). Requests during the outage must all be
the 503 page, quickly (p99 ≤ 1 s, no traceback); after the restart every request must succeed
again within 5 s.
"""

import os

from bench import pgcluster
from bench.core import Result
from bench.http import REFERENCE_PATH, load, serve

CONNECTIONS = 64


def _urls():
    from claims import public

    claims = list(public.claims().order_by("-created_at").values_list("slug", flat=True)[:100])
    actors = list(public.actors().values_list("slug", flat=True)[:20])
    events = list(public.events().values_list("slug", flat=True)[:20])
    sources = list(public.sources().values_list("slug", flat=True)[:20])
    tags = list(public.tags().values_list("slug", flat=True)[:20])
    urls = ["/", "/claims/?disputed=yes", "/claims/?sort=oldest", "/claims/?q=minister"]
    urls += [f"/claims/?page={n}" for n in range(1, 11)]
    urls += [f"/claims/{s}/" for s in claims]
    urls += [f"/actors/{s}/" for s in actors] + [f"/events/{s}/" for s in events]
    urls += [f"/sources/{s}/" for s in sources] + [f"/tags/{s}/" for s in tags]
    return urls


def run(ctx):
    seconds = 2.0 if ctx.quick else 60.0
    urls = _urls()
    if ctx.quick:
        urls = urls[:2] + urls[14:17]  # home, a list and three claim pages: a smoke test
    workers = 2 if ctx.quick else min(4, 2 * (os.cpu_count() or 1) + 1)
    with serve(ctx.env, workers=workers) as base:
        # As deployed, pages come from the cache once rendered: render each on every worker
        # first (unmeasured), then measure the steady state.
        load(
            [base + u for u in urls],
            seconds=300,
            concurrency=4,
            max_requests=len(urls) * workers * 2,
        )
        bare = load([base + REFERENCE_PATH], seconds=min(seconds, 10), concurrency=CONNECTIONS)
        pages = load([base + u for u in urls], seconds=seconds, concurrency=CONNECTIONS)
    for stats in (bare, pages):
        if stats.errors:
            _log(f"errors under load: {stats.error_kinds}")
    label = f"{len(urls)} public pages, {CONNECTIONS} connections, {seconds:g} s"
    results = [
        Result.count(ctx, f"{label}: errors", pages.errors, at_most=0),
        Result.count(ctx, f"{label}: requests", pages.requests),
        Result.compare(ctx, f"{label}: throughput", pages.rps, bare.rps, unit="req/s"),
        Result.compare(ctx, f"{label}: p50 latency", pages.p50, bare.p50, unit="ms"),
        Result.compare(ctx, f"{label}: p99 latency", pages.p99, bare.p99, unit="ms"),
        Result.count(ctx, f"bare view, {CONNECTIONS} connections: errors", bare.errors, at_most=0),
    ]
    if not ctx.quick and pgcluster.available():
        results += outage(ctx)
    return results


def outage(ctx):
    from bench.drill import run_drill

    report = run_drill(dict(os.environ), outage_seconds=4.0, concurrency=8, log=_log)
    during = report.during()
    latencies = sorted(h.seconds * 1000 for h in during)
    p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] if latencies else 0
    wrong = [h for h in during if h.status != 503 or "Temporarily unavailable" not in h.body]
    tracebacks = [h for h in report.hits if "Traceback" in h.body]
    recovery = report.recovery_seconds()
    return [
        Result.count(ctx, "outage drill: requests during the 4 s outage", len(during)),
        Result.count(ctx, "outage drill: not the 503 page during it", len(wrong), at_most=0),
        Result.count(ctx, "outage drill: 503 p99 latency", p99, unit="ms", at_most=1000),
        Result.count(ctx, "outage drill: tracebacks shown", len(tracebacks), at_most=0),
        Result.count(
            ctx,
            "outage drill: recovery after restart",
            recovery if recovery is not None else float("inf"),
            unit="s",
            at_most=5,
        ),
    ]


def _log(message):
    import sys

    print(f"[bench] {message}", file=sys.stderr, flush=True)
