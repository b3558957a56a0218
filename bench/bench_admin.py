"""The admin's claim changelist at scale: the first page at the harness's size against the same
page at a reference size (10,000 claims), measured in the same run. --quick only times the
harness's page (a smoke run).

Target (issue 4): ≤ 1.3× the time, with the same number of queries. What makes it hold: an
estimated count instead of COUNT(*) on an unfiltered PostgreSQL list, an index-ordered page of
100 with per-row annotations evaluated only for those rows, filters that do not scan. Search
and a claimant filter are shown beside it, unjudged. Each size is timed in its own process.
"""

import json
import subprocess
import sys

from bench import datasets
from bench.core import PROJECT_DIR, Result

REFERENCE_CLAIMS = 10_000


def _probe(env, repeats):
    done = subprocess.run(
        [sys.executable, "-m", "bench.admin_probe", str(repeats)],
        cwd=PROJECT_DIR,
        env={**env, "PAGE_CACHE_SECONDS": "0"},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(ctx):
    if ctx.quick:  # a smoke run: the harness's database only (a reference database takes long)
        page = _probe(ctx.env, 2)["first page"]
        return [
            Result.count(ctx, "admin changelist first page", page["seconds"] * 1000, unit="ms"),
            Result.count(ctx, "admin changelist queries", page["queries"]),
        ]
    reference_size, repeats = REFERENCE_CLAIMS, 30
    workdir = ctx.workdir / "admin_reference"
    workdir.mkdir(exist_ok=True)
    ref_url, ref_env, _ = datasets.prepare(ctx.db, reference_size, ctx.seed, workdir, log=_log)
    reference = _probe(ref_env, repeats)
    large = _probe(ctx.env, repeats)
    first, ref_first = large["first page"], reference["first page"]
    results = [
        Result.compare(
            ctx,
            f"admin changelist first page vs {reference_size:,} claims",
            first["seconds"] * 1000,
            ref_first["seconds"] * 1000,
            unit="ms",
            at_most=1.3,
        ),
        Result.count(
            ctx,
            "admin changelist extra queries vs reference",
            first["queries"] - ref_first["queries"],
            at_most=0,
        ),
        Result.count(ctx, "admin changelist queries", first["queries"]),
    ]
    for name in ("search", "claimant filter"):
        results.append(
            Result.compare(
                ctx,
                f"admin changelist {name} vs {reference_size:,} claims",
                large[name]["seconds"] * 1000,
                reference[name]["seconds"] * 1000,
                unit="ms",
            )
        )
    return results


def _log(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)
