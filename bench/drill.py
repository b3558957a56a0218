"""The database outage drill: the app under load while its PostgreSQL stops and starts again.

A private cluster (bench/pgcluster.py) holds the seed knowledge base; gunicorn serves it with the
page cache off, so every request needs the database. Clients request public pages throughout;
the database is stopped for `outage_seconds` and started again. The timeline tells whether
requests failed fast with the 503 page (no hang, no traceback) and how soon after the restart
every request succeeded again. Used by bench/bench_reliability.py (figures) and
tests/test_outage_drill.py (behaviour).
"""

import http.client
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

from bench.core import PROJECT_DIR
from bench.http import serve
from bench.pgcluster import PrivateCluster

PATHS = ["/", "/claims/", "/claims/?disputed=yes", "/healthz"]


@dataclass
class Hit:
    started: float  # seconds since the drill began
    seconds: float
    status: int  # 0: no HTTP response at all (refused, reset, timed out)
    body: str = ""


@dataclass
class DrillReport:
    outage_started: float  # when pg_ctl stop returned: the database is down
    restart_begun: float  # when pg_ctl start was called: down until here
    outage_ended: float  # when pg_ctl start returned: the database accepts connections
    hits: list = field(default_factory=list)

    def during(self):
        """Requests made entirely while the database was down."""
        return [
            h
            for h in self.hits
            if self.outage_started <= h.started and h.started + h.seconds <= self.restart_begun
        ]

    def before(self):
        return [h for h in self.hits if h.started + h.seconds < self.outage_started - 1]

    def recovery_seconds(self):
        """Seconds from the restart until the first request of an unbroken run of successes
        to the end of the drill (None if it never recovered)."""
        after = sorted(
            (h for h in self.hits if h.started >= self.outage_ended), key=lambda h: h.started
        )
        last_failure = max((h.started + h.seconds for h in after if h.status != 200), default=None)
        successes = [h for h in after if h.status == 200]
        if not successes:
            return None
        if last_failure is None:
            return max(0.0, successes[0].started + successes[0].seconds - self.outage_ended)
        later = [h for h in successes if h.started >= last_failure]
        if not later:
            return None
        return later[0].started + later[0].seconds - self.outage_ended

    def recovered(self):
        return self.recovery_seconds() is not None


def _client(base, deadline, hits, lock, t0, stop):
    host, port = base.removeprefix("http://").split(":")
    i = 0
    connection = None
    while time.monotonic() < deadline and not stop.is_set():
        path = PATHS[i % len(PATHS)]
        i += 1
        started = time.monotonic()
        status, body = 0, ""
        try:
            if connection is None:
                connection = http.client.HTTPConnection(host, int(port), timeout=30)
            connection.request("GET", path)
            response = connection.getresponse()
            status, body = response.status, response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as exc:
            body = repr(exc)
            connection = None
        with lock:
            hits.append(Hit(started - t0, time.monotonic() - started, status, body))
        if status == 0:
            time.sleep(0.05)


def _manage(env, *args):
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {args[0]} failed:\n{done.stderr[-3000:]}")


def run_drill(base_env, outage_seconds=4.0, concurrency=8, warmup=2.0, settle=6.0, log=print):
    with PrivateCluster() as cluster:
        cluster.createdb("kb_drill")
        env = {
            **base_env,
            "DATABASE_URL": cluster.url("kb_drill"),
            "PAGE_CACHE_SECONDS": "0",
            "REDIS_URL": "",
        }
        env.pop("DATABASE_REPLICA_URL", None)
        log(f"outage drill: private PostgreSQL on port {cluster.port}, loading the seeds")
        _manage(env, "migrate", "--verbosity", "0")
        _manage(env, "create_analyst", "--verbosity", "0")
        _manage(env, "load_seeds", "--user", "analyst", "--verbosity", "0")
        with serve(env, workers=2) as base:
            hits, lock, stop = [], threading.Lock(), threading.Event()
            t0 = time.monotonic()
            deadline = t0 + warmup + outage_seconds + 60
            threads = [
                threading.Thread(target=_client, args=(base, deadline, hits, lock, t0, stop))
                for _ in range(concurrency)
            ]
            for thread in threads:
                thread.start()
            try:
                time.sleep(warmup)
                log("outage drill: stopping PostgreSQL")
                cluster.stop()
                outage_started = time.monotonic() - t0
                time.sleep(outage_seconds)
                restart_begun = time.monotonic() - t0
                cluster.start()
                outage_ended = time.monotonic() - t0
                log("outage drill: PostgreSQL is back")
                time.sleep(settle)
            finally:
                stop.set()
                for thread in threads:
                    thread.join()
    return DrillReport(outage_started, restart_begun, outage_ended, hits)
