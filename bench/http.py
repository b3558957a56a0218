"""Serve the app with gunicorn on a free loopback port (a socket it inherits), and load it
from a separate process.

`serve()` runs the production settings (DEBUG off, whitenoise, the same worker count for the app
and for the reference view `/bench/bare/`), so a page's figure and its reference differ only in
the view. `load()` runs `bench.loadgen` in its own process, bounded by seconds and requests.
"""

import json
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field

from bench.core import PROJECT_DIR

REFERENCE_PATH = "/bench/bare/"


@dataclass
class Stats:
    requests: int
    errors: int
    rps: float
    p50: float  # milliseconds
    p95: float
    p99: float
    error_kinds: dict = field(default_factory=dict)  # "status 500 on /claims/": 3


def listening_socket():
    """A socket already bound to a free loopback port and listening, for gunicorn to inherit
    (`--bind fd://N`): no other process can take the port between choosing and binding it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1024)
    sock.set_inheritable(True)
    return sock


def server_env(env):
    return {
        **env,
        "DEBUG": "0",
        "SECRET_KEY": env.get("SECRET_KEY") or "bench-only-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "BENCH_REFERENCE_VIEW": "1",
    }


def collectstatic(env):
    """Whitenoise's manifest is needed with DEBUG off; rebuilt only when static files changed."""
    manifest = PROJECT_DIR / "staticfiles" / "staticfiles.json"
    sources = [p for p in (PROJECT_DIR / "static").rglob("*") if p.is_file()]
    if manifest.exists() and all(p.stat().st_mtime <= manifest.stat().st_mtime for p in sources):
        return
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=PROJECT_DIR,
        env=env,
        check=True,
    )


@contextmanager
def serve(env, workers=2, ready_seconds=120):
    """Yield the base URL of gunicorn serving the app (and `/bench/bare/`) until the block ends.
    It waits for the reference view to answer (at most `ready_seconds`, for a loaded machine)."""
    env = server_env(env)
    collectstatic(env)
    sock = listening_socket()
    base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "kb.wsgi:application",
            "--bind",
            f"fd://{sock.fileno()}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=PROJECT_DIR,
        env=env,
        pass_fds=(sock.fileno(),),
    )
    try:
        _wait_until_up(base_url + REFERENCE_PATH, process, ready_seconds)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        sock.close()


def _wait_until_up(url, process, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {url} within {seconds} s")


def load(urls, seconds=5.0, concurrency=4, max_requests=100_000):
    """Request `urls` round-robin from `concurrency` connections for at most `seconds`."""
    spec = {
        "urls": list(urls),
        "seconds": seconds,
        "concurrency": concurrency,
        "max_requests": max_requests,
    }
    done = subprocess.run(
        [sys.executable, "-m", "bench.loadgen", json.dumps(spec)],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    )
    return Stats(**json.loads(done.stdout))
