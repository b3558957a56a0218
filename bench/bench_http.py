"""The HTTP harness itself: the bare reference view under load, served like every page bench.

A sanity row rather than a target: it shows what the machine serves at best, so the page
benchmarks' ratios can be read, and it keeps serve()/load() exercised in the quick run.
"""

from bench.core import Result
from bench.http import REFERENCE_PATH, load, serve


def run(ctx):
    seconds = 2 if ctx.quick else 10
    with serve(ctx.env) as base_url:
        load([base_url + REFERENCE_PATH], seconds=1, concurrency=4)  # warm the workers
        stats = load([base_url + REFERENCE_PATH], seconds=seconds, concurrency=4)
    return [
        Result.count(ctx, "bare view throughput", stats.rps, unit="req/s"),
        Result.count(ctx, "bare view p95 latency", stats.p95, unit="ms"),
        Result.count(ctx, "bare view errors", stats.errors, at_most=0),
    ]
