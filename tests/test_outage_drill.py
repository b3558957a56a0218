"""The database outage drill in the suite: a private PostgreSQL cluster (never the shared
server) is stopped for 3 s while gunicorn serves the seed knowledge base under load.

Behaviour is asserted here (the 503 page, no traceback, service back by itself); the timings
(503 latency, seconds to recover) are figures of `python -m bench --only reliability`."""

import os

import pytest

from bench import pgcluster


def test_requests_get_the_503_page_during_an_outage_and_succeed_again_after_it():
    if not pgcluster.available():
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL server binaries (initdb, pg_ctl) are missing in CI")
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    from bench.drill import run_drill

    report = run_drill(dict(os.environ), outage_seconds=3.0, concurrency=4, log=lambda m: None)
    assert {h.status for h in report.before()} <= {200, 503}
    assert any(h.status == 200 for h in report.before())
    during = report.during()
    assert during, "no request was made during the outage"
    for hit in during:
        assert hit.status == 503, hit
        assert "Temporarily unavailable" in hit.body
    assert not any("Traceback" in h.body for h in report.hits)
    assert report.recovered(), "requests still failed at the end of the drill"
    last = sorted(report.hits, key=lambda h: h.started)[-5:]
    assert all(h.status == 200 for h in last)
