"""`python -m bench`: run the benchmarks against one database at one size and print one table.

    python -m bench --quick       # 1,000 claims on SQLite, a few seconds each (make test)
    python -m bench --db postgres --claims 1000000 --only pages

A quick run exits non-zero only when a benchmark crashes (its FAIL rows are printed, not
enforced: a shared 2-core machine is too noisy for a few-second run); a full run also exits
non-zero when a target is missed.
"""

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

import django


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="1,000 claims, a few seconds each")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--claims", type=int, help="size of the knowledge base (default 10,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--only", action="append", default=[], help="run only this benchmark (repeatable)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder afterwards")
    args = parser.parse_args(argv)
    if args.claims is None:
        args.claims = 1000 if args.quick else 10_000
    return args


def machine():
    cpus = os.cpu_count()
    return (
        f"{platform.system()} {platform.release()}, {cpus} CPUs, Python {platform.python_version()}"
    )


def main(argv=None):
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
    from bench import core, datasets

    names = core.discover()
    unknown = set(args.only) - set(names)
    if unknown:
        sys.exit(f"unknown benchmark(s): {', '.join(sorted(unknown))}; known: {', '.join(names)}")
    names = [n for n in names if not args.only or n in args.only]

    workdir = Path(tempfile.mkdtemp(prefix="kb-bench-"))
    crashed = []
    results = []
    try:
        url, env, notes = datasets.prepare(args.db, args.claims, args.seed, workdir, log=_log)
        os.environ["DATABASE_URL"] = url
        django.setup()
        ctx = core.Context(
            db=args.db,
            claims=args.claims,
            quick=args.quick,
            database_url=url,
            env=env,
            workdir=workdir,
            seed=args.seed,
            notes=notes,
        )
        for name in names:
            started = time.monotonic()
            _log(f"running {name}")
            try:
                results += core.load(name).run(ctx)
            except Exception:
                traceback.print_exc()
                crashed.append(name)
            _log(f"{name} took {time.monotonic() - started:.1f} s")
    finally:
        if args.keep:
            _log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    mode = "quick" if args.quick else "full"
    print(f"\n{time.strftime('%Y-%m-%d')}, {mode} run, {machine()}\n")
    print(core.table(results))
    if crashed:
        print(f"\nCRASHED: {', '.join(crashed)}", file=sys.stderr)
        return 1
    missed = [r.benchmark for r in results if not r.passed]
    if missed:
        print(
            f"\nMissed targets: {', '.join(missed)}"
            + (" (not enforced in --quick)" if args.quick else "")
        )
        return 0 if args.quick else 1
    return 0


def _log(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
