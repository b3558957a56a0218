"""generate_kb: the time to generate and load a knowledge base, against loading the same rows.

The reference writes rows made beforehand through the bare bulk path (PostgreSQL `COPY`, SQLite
`executemany`), so the ratio is what generating the rows costs on top of loading them. Peak
memory must stay flat whatever the size (rows go out one chunk of sources at a time).
"""

import json
import subprocess
import sys

from bench import datasets
from bench.core import PROJECT_DIR, Result

FULL_RUN_CLAIMS = 100_000  # enough to be steady; the 1,000,000 figure is in docs/performance.md
SCRATCH = "kb_bench_scratch_generate"


def run(ctx):
    claims = min(ctx.claims, FULL_RUN_CLAIMS)
    if ctx.db == "postgres":
        datasets.recreate_postgres(SCRATCH)
        url = datasets.postgres_url(SCRATCH)
    else:
        url = f"sqlite:///{ctx.workdir / 'scratch_generate.sqlite3'}"
    env = {**ctx.env, "DATABASE_URL": url}
    try:
        datasets.manage(env, "migrate", "--verbosity", "0")
        done = subprocess.run(
            [sys.executable, "-m", "bench.generate_probe", str(claims), str(ctx.seed)],
            cwd=PROJECT_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        if ctx.db == "postgres":
            datasets.drop_postgres(SCRATCH)
    probe = json.loads(done.stdout)
    ctx_at = _at_size(ctx, claims)
    return [
        Result.compare(
            ctx_at,
            "generate_kb vs bare bulk load",
            probe["generate_seconds"],
            probe["write_seconds"],
            unit="s",
            at_most=4,
        ),
        Result.count(ctx_at, "generate_kb peak memory", probe["peak_mb"], unit="MB", at_most=400),
        Result.count(
            ctx_at, "article text per source", probe["text_bytes_per_source"] / 1024, unit="KB"
        ),
    ]


def _at_size(ctx, claims):
    from dataclasses import replace

    return replace(ctx, claims=claims)
