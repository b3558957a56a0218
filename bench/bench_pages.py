"""Reader pages under gunicorn, against the bare Django view served the same way in the same run.

Uncached: the server runs with PAGE_CACHE_SECONDS=0 and requests go round-robin over many
claims / list pages, so every request renders. Cached: the default cache, a few URLs each
warmed on every worker first. Search: the p95 latency of `/claims/?q=…` uncached (an absolute
target from the issue, judged on PostgreSQL at 1,000,000 claims; shown unjudged elsewhere).
--quick runs only the uncached half, briefly: a smoke test.
"""

import re

from bench.core import Result
from bench.http import REFERENCE_PATH, load, serve

TARGETS = {  # page: (uncached at least, cached at least), as ratios to the bare view
    "claim page": (0.25, 0.5),
    "claim list": (0.1, 0.5),
}
SEARCH_P95_MS = 50


def _urls(ctx):
    from claims.models import Claim

    slugs = list(
        Claim.objects.published().order_by("-created_at").values_list("slug", flat=True)[:200]
    )
    statements = Claim.objects.published().values_list("statement", flat=True)[:50]
    words = sorted({w.lower() for s in statements for w in re.findall(r"[A-Za-z]{6,}", s)})
    pages = max(1, min(40, Claim.objects.published().count() // 25))
    # The default list, page by page: "most corroborated" sorts every claim by a computed count
    # and is not what this target is about (see docs/reader.md).
    lists = [f"/claims/?page={n}" for n in range(1, pages + 1)]
    return {
        "claim page": [f"/claims/{slug}/" for slug in slugs],
        "claim list": lists,
        "search": [f"/claims/?q={w}" for w in words[:: max(1, len(words) // 20)]] or ["/claims/"],
    }


CACHED_URLS = 10


def _measure(base, urls, seconds, warm_each=0):
    """Requests per second over `urls`; with `warm_each`, each URL is first requested that many
    times (enough for every worker to have cached it) however long that takes."""
    if warm_each:
        load(
            [base + u for u in urls], seconds=60, concurrency=2, max_requests=len(urls) * warm_each
        )
    else:
        load([base + u for u in urls[:20]], seconds=min(1.0, seconds), concurrency=4)
    return load([base + u for u in urls], seconds=seconds, concurrency=4)


def run(ctx):
    seconds = 0.5 if ctx.quick else 8.0
    urls = _urls(ctx)
    results = []
    modes = [("uncached", {**ctx.env, "PAGE_CACHE_SECONDS": "0"}), ("cached", ctx.env)]
    for mode, env in modes[:1] if ctx.quick else modes:  # --quick: a smoke run of one server
        with serve(env) as base:
            bare = _measure(base, [REFERENCE_PATH], seconds)
            for page, (uncached_target, cached_target) in TARGETS.items():
                if mode == "uncached":
                    stats = _measure(base, urls[page], seconds)
                else:
                    stats = _measure(base, urls[page][:CACHED_URLS], seconds, warm_each=6)
                results.append(
                    Result.compare(
                        ctx,
                        f"{page} {mode} req/s vs bare view",
                        stats.rps,
                        bare.rps,
                        unit="req/s",
                        at_least=uncached_target if mode == "uncached" else cached_target,
                    )
                )
                results.append(Result.count(ctx, f"{page} {mode} errors", stats.errors, at_most=0))
            if mode == "uncached" and not ctx.quick:
                search = load([base + u for u in urls["search"]], seconds=seconds, concurrency=1)
                judged = ctx.db == "postgres" and ctx.claims >= 1_000_000
                results.append(
                    Result.count(
                        ctx,
                        "search p95 latency (uncached)",
                        search.p95,
                        unit="ms",
                        at_most=SEARCH_P95_MS if judged else None,
                    )
                )
    return results
