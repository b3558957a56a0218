"""SQLite beside itself: several writers at once wait their turn, and a writer that waits too
long says so in one line. The same scenarios run on PostgreSQL when the suite does."""

import json
import sqlite3
import subprocess
import sys

import dj_database_url
import pytest
from django.db import connection

from tests.ingest_runs import SEEDS, assert_complete, write_articles
from tests.subprocesses import PROJECT_DIR, env, manage, python, query


def start(args, environ):
    return subprocess.Popen(
        [sys.executable, *args],
        cwd=PROJECT_DIR,
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_four_ingests_beside_admin_saves_and_page_reads_store_every_article_once(scratch, tmp_path):
    environ = env(DATABASE_URL=scratch)
    manage(environ, "ingest", str(SEEDS[0]))  # claims for the admin traffic to work on
    folder = write_articles(tmp_path / "articles", 12)
    stop = tmp_path / "stop"
    traffic = start(["tests/admin_traffic.py", str(stop)], environ)
    try:
        assert traffic.stdout.readline().strip() == "ready", traffic.stderr.read()
        ingests = [start(["manage.py", "ingest", str(folder)], environ) for _ in range(4)]
        outputs = [p.communicate(timeout=600) for p in ingests]
    finally:
        stop.touch()
        traffic_out, traffic_err = traffic.communicate(timeout=120)

    for process, (out, err) in zip(ingests, outputs, strict=True):
        assert process.returncode == 0, out + err
        assert "Traceback" not in err
    assert traffic.returncode == 0, traffic_err
    report = json.loads(traffic_out.strip().splitlines()[-1])
    assert report["errors"] == []
    assert report["saves"] >= 2 and report["reads"] >= 3
    assert len(assert_complete(scratch)) == 13
    added = sum(int(out.split(" added")[0].rsplit(" ", 1)[-1]) for out, _ in outputs)
    assert added == 12


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's file lock")
def test_migrate_puts_the_database_file_in_write_ahead_log_mode(scratch):
    assert query(scratch, "PRAGMA journal_mode") == [("wal",)]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's file lock")
def test_an_ingest_that_waits_too_long_for_the_lock_says_so_in_one_line_and_stores_nothing(
    scratch, tmp_path
):
    article = SEEDS[0]
    holder = sqlite3.connect(dj_database_url.parse(scratch)["NAME"], isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer that does not let go
    try:
        done = manage(
            env(DATABASE_URL=scratch, SQLITE_BUSY_TIMEOUT="0.5"),
            "ingest",
            str(article),
            check=False,
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "database stayed busy with another writer for more than 0.5 s" in done.stderr
    assert query(scratch, "SELECT count(*) FROM claims_source") == [(0,)]

    again = manage(env(DATABASE_URL=scratch), "ingest", str(article))
    assert "1 added" in again.stdout


SAVE_WHILE_LOCKED = """
import sqlite3
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.test.utils import setup_test_environment
from claims.models import Claim

setup_test_environment()
client = Client(raise_request_exception=False)
client.force_login(get_user_model().objects.create_superuser("busy-analyst"))
ids = list(Claim.objects.values_list("id", flat=True)[:1])
holder = sqlite3.connect(settings.DATABASES["default"]["NAME"], isolation_level=None)
holder.execute("BEGIN IMMEDIATE")
withdraw = {"action": "withdraw", "index": 0, "_selected_action": ids}
response = client.post("/admin/claims/claim/", withdraw)
holder.execute("ROLLBACK")
print(response.status_code, response.headers.get("Retry-After"))
print(Claim.objects.filter(status="withdrawn").count())
"""


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's file lock")
def test_an_admin_save_that_waits_too_long_for_the_lock_gets_the_busy_page_and_changes_nothing(
    scratch,
):
    environ = env(DATABASE_URL=scratch, SQLITE_BUSY_TIMEOUT="0.3")
    manage(environ, "ingest", str(SEEDS[0]))
    done = python(environ, SAVE_WHILE_LOCKED)
    assert done.returncode == 0, done.stderr
    status, withdrawn = done.stdout.split("\n")[:2]
    assert status.split()[0] == "503" and status.split()[1].isdigit()
    assert withdrawn == "0"
