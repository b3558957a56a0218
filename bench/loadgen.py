"""A small HTTP load generator, run as its own process by `bench.http.load()`.

Threads with one connection each request the URLs round-robin until the time or the request
budget runs out, then one JSON line of statistics goes to stdout. Any status other than 200 and
any network error counts as an error; `error_kinds` says which (status code or exception) and
where, so a failed run names its cause.
"""

import http.client
import itertools
import json
import sys
import threading
import time
from collections import Counter
from urllib.parse import urlsplit


def _worker(urls, deadline, budget, latencies, errors, lock):
    connection = None
    for url in urls:
        with lock:
            if budget[0] <= 0:
                return
            budget[0] -= 1
        if time.monotonic() >= deadline:
            return
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        started = time.perf_counter()
        try:
            if connection is None:
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
            kind = f"status {response.status}"
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = None
        except (OSError, http.client.HTTPException) as error:
            ok = False
            kind = type(error).__name__
            connection = None
        elapsed = time.perf_counter() - started
        with lock:
            latencies.append(elapsed)
            if not ok:
                errors[f"{kind} on {path}"] += 1


def _percentile(ordered, fraction):
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000


def run(urls, seconds, concurrency, max_requests):
    latencies, errors, budget, lock = [], Counter(), [max_requests], threading.Lock()
    started = time.monotonic()
    deadline = started + seconds
    threads = [
        threading.Thread(
            target=_worker,
            args=(itertools.cycle(urls[i:] + urls[:i]), deadline, budget, latencies, errors, lock),
        )
        for i in range(concurrency)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    ordered = sorted(latencies)
    return {
        "requests": len(ordered),
        "errors": sum(errors.values()),
        "error_kinds": dict(errors.most_common(5)),
        "rps": len(ordered) / elapsed if elapsed else 0.0,
        "p50": _percentile(ordered, 0.50),
        "p95": _percentile(ordered, 0.95),
        "p99": _percentile(ordered, 0.99),
    }


if __name__ == "__main__":
    spec = json.loads(sys.argv[1])
    print(json.dumps(run(spec["urls"], spec["seconds"], spec["concurrency"], spec["max_requests"])))
