"""Two app servers sharing a Redis cache stay coherent: an edit made through one is on the
other's pages at the next request. Real gunicorn processes, a scratch database, Redis DB 5."""

import http.cookiejar
import urllib.parse
import urllib.request
import uuid

from tests.forms import form_data
from tests.redis_server import redis_client
from tests.subprocesses import env, manage, query, scratch_database

REDIS_URL = "redis://127.0.0.1:6379/5"


class Browser:
    """Cookies and forms over plain HTTP, enough to log in to the admin and submit a form."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path):
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.status, response.read().decode()

    def post(self, path, data):
        body = urllib.parse.urlencode(data, doseq=True).encode()
        request = urllib.request.Request(self.base + path, data=body, method="POST")
        with self.opener.open(request, timeout=30) as response:
            return response.status, response.read().decode()

    def submit(self, path, form_id, **changes):
        _, html = self.get(path)
        data = form_data(html, form_id)
        data.update(changes)
        return self.post(path, data)


def test_an_edit_through_one_server_shows_on_the_other_at_the_next_request(tmp_path):
    from bench.http import serve

    redis = redis_client(REDIS_URL)
    prefix = f"scale-out-{uuid.uuid4().hex}"  # this run's keys only: another run may share Redis
    with scratch_database(tmp_path) as url:
        environ = env(
            DATABASE_URL=url,
            REDIS_URL=REDIS_URL,
            CACHE_KEY_PREFIX=prefix,
            PAGE_CACHE_SECONDS="300",
            DJANGO_SUPERUSER_PASSWORD="a-long-admin-passphrase",
        )
        manage(environ, "createsuperuser", "--noinput", "--username", "root", "--email", "r@x.org")
        manage(environ, "load_seeds", "--user", "root")
        (pk, slug, statement), *_ = query(
            url, "SELECT id, slug, statement FROM claims_claim WHERE status = 'published' LIMIT 1"
        )
        try:
            with serve(environ, workers=1) as one, serve(environ, workers=1) as two:
                reader_one, reader_two = Browser(one), Browser(two)
                for reader in (reader_one, reader_two):  # both now hold the page in the cache
                    status, html = reader.get(f"/claims/{slug}/")
                    assert status == 200 and statement.split()[0] in html
                assert any(redis.scan_iter(f"{prefix}:*"))

                analyst = Browser(one)
                analyst.submit(
                    "/admin/login/?next=/admin/",
                    "login-form",
                    username="root",
                    password="a-long-admin-passphrase",
                )
                edited = "An edited statement that only the first server has seen."
                status, _ = analyst.submit(
                    f"/admin/claims/claim/{pk}/change/", "claim_form", statement=edited
                )
                assert status == 200  # the redirect to the list, followed
                assert query(url, f"SELECT statement FROM claims_claim WHERE id = {pk}") == [
                    (edited,)
                ]

                status, html = reader_two.get(f"/claims/{slug}/")
                assert status == 200 and edited in html
                assert edited in reader_one.get(f"/claims/{slug}/")[1]
        finally:
            for key in redis.scan_iter(f"{prefix}:*"):
                redis.delete(key)
