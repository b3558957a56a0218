"""A private, throw-away PostgreSQL cluster (initdb + pg_ctl in a temporary folder, its own
port), for drills that stop and start the database. The shared server is never touched.

    with PrivateCluster() as cluster:
        cluster.url("kb_drill")   # postgres://postgres@127.0.0.1:<port>/kb_drill
        cluster.stop(); cluster.start()
"""

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def _bin(name):
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not candidates:
        raise RuntimeError(f"PostgreSQL's {name} was not found (install the server package)")
    return candidates[-1]


def available():
    try:
        _bin("initdb")
        _bin("pg_ctl")
    except RuntimeError:
        return False
    return True


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateCluster:
    def __init__(self):
        self.port = _free_port()
        self.root = Path(tempfile.mkdtemp(prefix="kb-pgdrill-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        # initdb refuses to run as root: run the server binaries as the postgres user then.
        self._as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args, check=True):
        return subprocess.run(
            [*self._as, *args], check=check, capture_output=True, text=True, timeout=120
        )

    def __enter__(self):
        if self._as:
            shutil.chown(self.root, "postgres", "postgres")
        self._run(
            _bin("initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8"
        )
        self.start()
        return self

    def __exit__(self, *exc):
        self._run(_bin("pg_ctl"), "-D", str(self.data), "stop", "-m", "immediate", check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    def start(self):
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            _bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start"
        )

    def stop(self, mode="fast"):
        self._run(_bin("pg_ctl"), "-D", str(self.data), "stop", "-m", mode, "-w")

    def url(self, dbname="postgres"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def createdb(self, name):
        self._run(_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
