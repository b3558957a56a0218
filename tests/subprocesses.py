"""Helpers for tests that run the app in other processes: an environment for production
settings, `manage.py` runs, and a scratch database of their own that those processes share."""

import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

PROJECT_DIR = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "test-only-" + "k3y-" * 14,
    "ALLOWED_HOSTS": "kb.example.org,testserver,127.0.0.1,localhost",
}


# Set for this test process only: the browser tests allow sync ORM calls beside Playwright's loop,
# and `check --deploy` rightly refuses that setting in a deployment.
TEST_RUN_ONLY = {"DATABASE_REPLICA_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def env(**overrides):
    """os.environ without the test run's own settings, plus `overrides` (None removes a name)."""
    result = {k: v for k, v in os.environ.items() if k not in TEST_RUN_ONLY}
    for key, value in overrides.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = value
    return result


def manage(environ, *args, timeout=300, check=True):
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and done.returncode:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def python(environ, code, timeout=120):
    """Run `code` with Django set up; returns the CompletedProcess."""
    prelude = "import django; django.setup()\n"
    return subprocess.run(
        [sys.executable, "-c", prelude + code],
        cwd=PROJECT_DIR,
        env={**environ, "DJANGO_SETTINGS_MODULE": "kb.settings"},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@contextmanager
def scratch_database(tmp_path):
    """A migrated database for other processes, of the same kind as the test run's: a SQLite file
    in `tmp_path`, or a new PostgreSQL database beside the test database (dropped afterwards)."""
    if connection.vendor == "sqlite":
        url = f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
        manage(env(DATABASE_URL=url), "migrate", "--verbosity", "0")
        yield url
        return
    import psycopg

    params = connection.get_connection_params()
    name = f"{connection.settings_dict['NAME']}_{uuid.uuid4().hex[:8]}"[:63]
    admin = {k: params[k] for k in ("host", "port", "user", "password") if k in params}
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    user = params.get("user", "postgres")
    url = f"postgres://{user}@{params.get('host', '127.0.0.1')}:{params.get('port', 5432)}/{name}"
    try:
        manage(env(DATABASE_URL=url), "migrate", "--verbosity", "0")
        yield url
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def query(url, sql):
    """Rows of `sql` on the database at `url`, through a connection of its own."""
    import dj_database_url

    config = dj_database_url.parse(url)
    if config["ENGINE"].endswith("sqlite3"):
        import sqlite3

        with sqlite3.connect(config["NAME"]) as conn:
            return conn.execute(sql).fetchall()
    import psycopg

    with psycopg.connect(
        dbname=config["NAME"], host=config["HOST"], port=config["PORT"], user=config["USER"]
    ) as conn:
        return conn.execute(sql).fetchall()
