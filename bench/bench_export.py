"""CSV export speed and memory, against the database's own CSV output of the same query.

The export of the published claims (what `/claims/export.csv` serves) runs in a child process
writing to /dev/null; the child reports its time (from the first query to the last byte, Python
and Django start-up excluded), the time to its first data row, and its peak resident memory
(ru_maxrss). The reference, in the same run, on the same query:

- PostgreSQL: `psql -c "COPY (query) TO STDOUT WITH (FORMAT csv)"` (the query with the
  formula neutralization in SQL, exactly as the export streams it through psycopg's COPY);
- SQLite: `sqlite3 -csv FILE "query"` (the query the export reads through its cursor).

Throughput ratio = reference time / export time. The bundle writer's peak memory is reported
too (unjudged). Standalone: `python -m bench.bench_export --child csv` with DATABASE_URL set.
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time

from bench.core import PROJECT_DIR, Result

TARGETS = {"postgres": 0.8, "sqlite": 0.35}
FIRST_BYTE_MS = 200
PEAK_MB = 100


def _published():
    from claims.filters import filter_claims

    return filter_claims({})[0]


def child(kind):
    """In the child: export to /dev/null and print the figures as JSON."""
    import django

    django.setup()
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse

    from claims.bundle import write_bundle
    from claims.export import csv_chunks
    from claims.models import Claim

    # What a running server has done before any export: URLconf loaded, content types cached.
    reverse("claims:claim_list")
    ContentType.objects.get_for_model(Claim)
    started = time.perf_counter()
    first = None
    size = 0
    with open(os.devnull, "wb") as out:
        if kind == "bundle":
            write_bundle(out)
        else:
            for chunk in csv_chunks(_published()):
                if first is None:
                    first = time.perf_counter() - started
                size += len(chunk)
                out.write(chunk)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "first": first, "bytes": size, "peak_mb": peak}))


def _child(ctx, kind):
    out = subprocess.run(
        [sys.executable, "-m", "bench.bench_export", "--child", kind],
        cwd=PROJECT_DIR,
        env=ctx.env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def reference_command(ctx):
    """The database's own CSV output of the export's query, as an argv list."""
    from django.db import connection

    from claims.export import STREAMING_SETTINGS, row_query

    queryset = _published()
    if ctx.db == "postgres":
        import psycopg

        sql, params = row_query(queryset, in_sql=True)
        connection.ensure_connection()
        literal = psycopg.ClientCursor(connection.connection).mogrify(sql, params)
        copy = f"COPY ({' '.join(literal.split())}) TO STDOUT WITH (FORMAT csv)"
        # The same plan settings as the export's transaction (claims/export.py).
        settings = [a for n, v in STREAMING_SETTINGS.items() for a in ("-c", f"SET {n} = {v}")]
        return ["psql", "-X", "-q", "-d", ctx.database_url, *settings, "-c", copy]
    sql, params = row_query(queryset)
    quoted = connection.ops._quote_params_for_last_executed_query(params)
    literal = sql % tuple(quoted)
    return ["sqlite3", "-csv", ctx.database_url.removeprefix("sqlite:///"), literal]


def _reference_seconds(argv):
    started = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def run(ctx):
    tool = "psql" if ctx.db == "postgres" else "sqlite3"
    if shutil.which(tool) is None:
        raise RuntimeError(
            f"`{tool}` is not installed: the export benchmark needs it as its reference "
            "(Debian: apt-get install postgresql-client sqlite3; `make browser-deps` does it)."
        )
    rows = _published().count()
    argv = reference_command(ctx)
    repeats = 1 if ctx.quick else 3
    ours = min((_child(ctx, "csv") for _ in range(repeats)), key=lambda f: f["seconds"])
    reference = min(_reference_seconds(argv) for _ in range(repeats))
    label = "COPY via psql" if ctx.db == "postgres" else "sqlite3 -csv"
    results = [
        Result.compare(
            ctx,
            f"CSV export rows/s vs {label}, same query",
            rows / ours["seconds"],
            rows / reference,
            unit="rows/s",
            at_least=TARGETS[ctx.db],
        ),
        Result.count(
            ctx,
            "CSV export first data row",
            (ours["first"] or 0) * 1000,
            unit="ms",
            at_most=FIRST_BYTE_MS,
        ),
        Result.count(ctx, "CSV export peak memory", ours["peak_mb"], unit="MB", at_most=PEAK_MB),
    ]
    if not ctx.quick and ctx.claims <= 10_000:  # the bundle's memory, at a size that runs quickly
        bundle = _child(ctx, "bundle")
        results.append(Result.count(ctx, "bundle export peak memory", bundle["peak_mb"], unit="MB"))
        results.append(Result.count(ctx, "bundle export seconds", bundle["seconds"], unit="s"))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", choices=("csv", "bundle"), required=True)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
    child(args.child)


if __name__ == "__main__":
    main()
