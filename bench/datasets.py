"""Benchmark databases: a SQLite file per run, or a reusable PostgreSQL `kb_bench_<size>`.

A PostgreSQL database is filled once per (size, seed, generator version) and reused: a marker
table `bench_dataset` records what it holds. `migrate` always runs, so indexes added by new
migrations reach old benchmark databases.
"""

import os
import subprocess
import sys
import time

import psycopg

from bench.core import PROJECT_DIR
from claims.generation import GENERATOR_VERSION

POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
# Engineers sharing one PostgreSQL server give their benchmark databases their own prefix.
POSTGRES_PREFIX = os.environ.get("BENCH_POSTGRES_PREFIX", "kb_bench")
MARKER = "bench_dataset"


def size_label(claims):
    for unit, suffix in ((1_000_000, "m"), (1000, "k")):
        if claims % unit == 0:
            return f"{claims // unit}{suffix}"
    return str(claims)


def postgres_url(name):
    return f"{POSTGRES_SERVER.rstrip('/')}/{name}"


def manage(env, *args, quiet=True):
    """Run `manage.py` with `env` (DATABASE_URL chooses the database); raise on failure."""
    out = subprocess.DEVNULL if quiet else None
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT_DIR, env=env, check=True, stdout=out
    )


def recreate_postgres(name):
    with psycopg.connect(postgres_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_postgres(name):
    with psycopg.connect(postgres_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _postgres_holds(name, claims, seed):
    try:
        with psycopg.connect(postgres_url(name)) as conn:
            row = conn.execute(f"SELECT claims, seed, generator FROM {MARKER}").fetchone()
    except psycopg.Error:
        return False
    return row == (claims, seed, GENERATOR_VERSION)


def _mark_postgres(name, claims, seed):
    with psycopg.connect(postgres_url(name)) as conn:
        conn.execute(f"CREATE TABLE {MARKER} (claims integer, seed integer, generator text)")
        conn.execute(f"INSERT INTO {MARKER} VALUES (%s, %s, %s)", (claims, seed, GENERATOR_VERSION))


def prepare(db, claims, seed, workdir, log=print):
    """Return (database_url, env, notes) for a database holding `claims` generated claims."""
    notes = {}
    if db == "sqlite":
        url = f"sqlite:///{workdir / f'kb_bench_{size_label(claims)}.sqlite3'}"
        reuse = False
    else:
        name = f"{POSTGRES_PREFIX}_{size_label(claims)}"
        url = postgres_url(name)
        reuse = _postgres_holds(name, claims, seed)
        if not reuse:
            log(f"creating PostgreSQL database {name}")
            recreate_postgres(name)
    env = {**os.environ, "DATABASE_URL": url}
    manage(env, "migrate", "--verbosity", "0")
    if reuse:
        log(f"reusing {url} ({claims:,} claims, seed {seed})")
    else:
        log(f"generating {claims:,} claims into {url}")
        started = time.monotonic()
        manage(env, "generate_kb", "--claims", str(claims), "--seed", str(seed))
        notes["generate_seconds"] = time.monotonic() - started
        if db == "postgres":
            _mark_postgres(name, claims, seed)
    return url, env, notes
