"""/healthz, the error pages, and the fast 503 page while the database cannot be reached."""

import json

import pytest
from django.db import OperationalError
from django.test import RequestFactory

from kb.views import healthz, server_error
from tests.subprocesses import PRODUCTION_ENV, env, python

# A PostgreSQL address where nothing listens: every connection attempt is refused.
NOWHERE = "postgres://postgres@127.0.0.1:9/kb_nowhere"


@pytest.mark.django_db
def test_healthz_is_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "databases": {"default": "ok"}}
    assert "no-cache" in response["Cache-Control"]


def test_unknown_page_is_the_404_page_without_debug_details(client, db):
    response = client.get("/nothing/here/")
    assert response.status_code == 404
    assert b"There is no public page here" in response.content
    assert b"Traceback" not in response.content and b"urlpatterns" not in response.content


@pytest.fixture
def breaker_reset():
    from kb.middleware import breaker

    yield breaker
    breaker.open = False  # this test trips it on PostgreSQL; later tests must not inherit that


def test_an_unexpected_error_gets_the_500_page_and_a_lost_database_the_503_page(breaker_reset):
    request = RequestFactory().get("/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert b"Temporarily unavailable" in response.content
    assert response["Retry-After"] == "5"


OUTAGE_SCRIPT = """
import json
from django.test import Client
client = Client(raise_request_exception=False)
results = []
for path in ["/healthz", "/", "/claims/", "/claims/?q=x", "/claims/some-claim/", "/", "/claims/"]:
    r = client.get(path)
    results.append([path, r.status_code, r.content.decode(), r.get("Retry-After")])
print(json.dumps(results))
"""


def test_without_a_database_every_page_is_a_503_page_not_a_traceback():
    done = python(
        env(**PRODUCTION_ENV, DATABASE_URL=NOWHERE, PAGE_CACHE_SECONDS="0"), OUTAGE_SCRIPT
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    health, *pages = results
    assert health[1] == 503 and json.loads(health[2])["status"] == "unavailable"
    for path, status, body, retry_after in pages:
        assert status == 503, path
        assert "Temporarily unavailable" in body, path
        assert "Traceback" not in body and "OperationalError" not in body, path
        assert retry_after == "5"
    # One log line for the outage, not a traceback per request.
    assert done.stderr.count("database unavailable") == 1, done.stderr
    assert "Traceback" not in done.stderr


def test_healthz_reports_503_with_the_failing_database():
    code = (
        "from django.test import Client\n"
        "r = Client().get('/healthz')\n"
        "print(r.status_code, r.content.decode())\n"
    )
    done = python(env(**PRODUCTION_ENV, DATABASE_URL=NOWHERE), code)
    status, body = done.stdout.split(" ", 1)
    assert status == "503"
    assert json.loads(body)["databases"]["default"] != "ok"


def test_healthz_view_is_not_cached_or_sessioned(db):
    response = healthz(RequestFactory().get("/healthz"))
    assert response.status_code == 200 and "Set-Cookie" not in response
