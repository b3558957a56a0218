"""After a withdrawal commits, no anonymous reader gets the claim again (issue 15, finding 1).

Readers poll claim pages over HTTP through a live server, so every request goes through the
real page cache: Redis, as production shares it between processes, and the in-process cache.
Meanwhile 50 claims are withdrawn one by one, each in its own transaction, by the two routes
that change a status: a save (the change form) and `queryset.update()` (bulk actions). Each
transaction pauses after its write, standing for the rest of an admin save (inlines, tags, the
log entry) on a busy server: the window in which the old code bumped the cache version before
the commit, and a reader re-cached the still-published page under the new version.
"""

import random
import threading
import time
import urllib.error
import urllib.request
import uuid

import pytest
from django.db import transaction

from claims.models import Claim
from tests.factories import add_evidence, make_claim
from tests.redis_server import redis_client

pytestmark = pytest.mark.postgres_only

REDIS_URL = "redis://127.0.0.1:6379/6"  # a database index no other test flushes
CLAIMS = 50
READERS = 6
PAUSE_IN_TRANSACTION = 0.03
WAIT_FOR_A_READ = 20  # seconds at most, after each commit, for a reader to ask for the claim


@pytest.fixture(params=["redis", "locmem"])
def page_cache(request, settings):
    """The page cache under test: Redis (with a key prefix of its own, removed afterwards) or
    the default in-process cache."""
    if request.param == "locmem":
        yield "locmem"
        return
    client = redis_client(REDIS_URL)
    prefix = f"race-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    try:
        yield "redis"
    finally:
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)


def _status(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


class Readers:
    """Threads polling claim pages: mostly the claim being withdrawn now, sometimes one
    withdrawn before. Each read is (slug, when the request was sent, status)."""

    def __init__(self, base, slugs):
        self.base, self.slugs = base, slugs
        self.current = 0
        self.reads, self.errors = [], []
        self.stop = threading.Event()
        self.threads = [
            threading.Thread(target=self.poll, args=(n,), daemon=True) for n in range(READERS)
        ]

    def poll(self, n):
        rng = random.Random(n)
        while not self.stop.is_set():
            current = self.current
            index = current if rng.random() < 0.7 else rng.randint(0, current)
            slug = self.slugs[index]
            sent = time.monotonic()
            try:
                status = _status(f"{self.base}/claims/{slug}/")
            except Exception as exc:  # noqa: BLE001 - reported by the test, never swallowed
                self.errors.append(repr(exc))
                continue
            self.reads.append((slug, sent, status))

    def wait_for_a_read(self, slug, after):
        """Until a reader has asked for `slug` since `after` (and got its answer)."""
        deadline = time.monotonic() + WAIT_FOR_A_READ
        while time.monotonic() < deadline:
            if any(s == slug and sent > after for s, sent, _ in reversed(self.reads)):
                return
            time.sleep(0.005)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)


def _withdraw(claim, n):
    with transaction.atomic():
        if n % 2:
            Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.WITHDRAWN)
        else:
            claim.status = Claim.Status.WITHDRAWN
            claim.save()
        time.sleep(PAUSE_IN_TRANSACTION)


def test_no_reader_gets_a_withdrawn_claim_after_its_commit(
    transactional_db, live_server, page_cache
):
    claims = []
    for n in range(CLAIMS):
        claim = make_claim(f"Claim {n} that is withdrawn while readers poll it.")
        add_evidence(claim)
        claims.append(claim)
    slugs = [c.slug for c in claims]
    committed = {}
    with Readers(live_server.url, slugs) as readers:
        for n, claim in enumerate(claims):
            readers.current = n
            assert _status(f"{live_server.url}/claims/{claim.slug}/") == 200  # now cached
            _withdraw(claim, n)
            committed[claim.slug] = time.monotonic()
            readers.wait_for_a_read(claim.slug, committed[claim.slug])
    assert not readers.errors, readers.errors[:3]
    assert Claim.objects.filter(status=Claim.Status.WITHDRAWN).count() == CLAIMS
    after = [(slug, status) for slug, sent, status in readers.reads if sent > committed[slug]]
    stale = [slug for slug, status in after if status == 200]
    assert stale == [], f"{len(stale)} stale reads of {len(set(stale))} withdrawn claims"
    # The readers did poll every claim after its withdrawal.
    assert {slug for slug, _ in after} == set(slugs)
    assert all(status == 404 for _, status in after)
