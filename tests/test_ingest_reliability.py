"""Ingest under faults: killed with SIGKILL midway, and two processes on the same article.

These run `manage.py ingest` in real processes against a scratch database of their own (a
SQLite file, or a PostgreSQL database when the suite runs on PostgreSQL).
"""

import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.ingest_runs import assert_complete, stored_sources, write_articles
from tests.subprocesses import PROJECT_DIR, env, manage, query


def test_ingest_killed_midway_leaves_only_complete_sources_and_a_rerun_finishes(scratch, tmp_path):
    folder = write_articles(tmp_path / "articles", 100)
    environ = env(DATABASE_URL=scratch)
    process = subprocess.Popen(
        [sys.executable, "manage.py", "ingest", str(folder)],
        cwd=PROJECT_DIR,
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and process.poll() is None:
            if len(query(scratch, "SELECT id FROM claims_source")) >= 10:
                break
            time.sleep(0.05)
        assert process.poll() is None, "ingest finished before it could be killed"
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    killed_at = assert_complete(scratch)
    assert 10 <= len(killed_at) < 100

    done = manage(environ, "ingest", str(folder))
    assert f"{len(killed_at)} already ingested" in done.stdout
    sources = assert_complete(scratch)
    assert len(sources) == 100
    assert len({title for _, _, title in sources}) == 100
    assert len({text for _, text, _ in sources}) == 100


def test_the_same_articles_ingested_by_two_processes_at_once_are_stored_once(scratch, tmp_path):
    folder = write_articles(tmp_path / "articles", 6)
    environ = env(DATABASE_URL=scratch)
    processes = [
        subprocess.Popen(
            [sys.executable, "manage.py", "ingest", str(folder)],
            cwd=PROJECT_DIR,
            env=environ,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=300) for p in processes]
    for process, (out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, out + err
        assert "Traceback" not in err
    sources = assert_complete(scratch)
    assert len(sources) == 6
    # Each article was added by exactly one of the two.
    added = sum(int(out.split(" added")[0].rsplit(" ", 1)[-1]) for out, _ in outputs)
    assert added == 6


def test_one_article_ingested_by_two_processes_at_once_is_one_source(scratch, tmp_path):
    folder = write_articles(tmp_path / "one", 1)
    article = next(Path(folder).iterdir())
    environ = env(DATABASE_URL=scratch)
    for _ in range(2):  # two rounds: the race window is narrow, give it chances
        processes = [
            subprocess.Popen(
                [sys.executable, "manage.py", "ingest", str(article)],
                cwd=PROJECT_DIR,
                env=environ,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        for process in processes:
            out, err = process.communicate(timeout=120)
            assert process.returncode == 0, out + err
        assert len(stored_sources(scratch)) == 1
