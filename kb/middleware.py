"""Project-wide middleware: security headers, NUL bytes refused in admin addresses, and a fast
503 page when the database is away.

Both are plain functions of the response, with no state beyond settings, so every app server
behaves the same behind a load balancer.
"""

import logging
import threading
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string

logger = logging.getLogger("kb.availability")

# Connection-level failures only: a constraint violation (IntegrityError) or a bad query
# (ProgrammingError) is a bug and stays a 500; these mean "the database cannot be reached".
UNAVAILABLE = (OperationalError, InterfaceError)


def content_security_policy(path):
    """The policy for `path`. Scripts only from this site, never inline; the JSON-LD block on
    claim pages is data (`type="application/ld+json"`), which browsers neither run nor check.

    The Django admin's own templates still set a few `style="…"` attributes, and the API's doc
    page (Swagger UI) a `<style>` block, so inline styles are allowed there (styles cannot run
    code); the public pages need none.
    """
    admin = path.startswith(("/admin/", "/api/v1/docs/"))
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'" if admin else "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def security_headers(get_response):
    """Content-Security-Policy and friends on every response. Django's SecurityMiddleware sets
    nosniff and Referrer-Policy, XFrameOptionsMiddleware the X-Frame-Options: DENY."""

    def middleware(request):
        response = get_response(request)
        response.headers.setdefault(
            "Content-Security-Policy", content_security_policy(request.path)
        )
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response

    return middleware


def refuse_nul_in_admin_queries(get_response):
    """A 400 for an admin address whose query string holds a NUL character. No admin filter,
    search or autocomplete means one, and PostgreSQL refuses it in a query (a 500 otherwise).
    The public pages check their own parameters and say which one is malformed."""

    def middleware(request):
        if request.path.startswith("/admin/") and any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest(
                "This address contains a NUL character (%00), which no admin page accepts.\n",
                content_type="text/plain; charset=utf-8",
            )
        return get_response(request)

    return middleware


def unavailable_response(request=None):
    """The 503 page, rendered without touching the database (no context processors, no user)."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(settings.UNAVAILABLE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def is_unavailable(exception):
    """True for "the database cannot be reached" (Django's wrapper or psycopg's own, such as
    the pool's PoolTimeout), not for errors of a query that did reach it."""
    if isinstance(exception, UNAVAILABLE):
        return True
    try:
        import psycopg
    except ImportError:  # SQLite-only installs
        return False
    return isinstance(exception, psycopg.OperationalError | psycopg.InterfaceError)


class _Breaker:
    """Per-process memory that PostgreSQL is down, so requests fail in microseconds instead of
    each waiting DATABASE_POOL_TIMEOUT for a connection that cannot come.

    Tripped by the first failure; while open, a direct connection attempt (no pool) probes the
    server at most every PROBE_SECONDS, and requests in between get the 503 page at once. The
    pools are dropped when it trips and rebuilt by the first request after a good probe, so
    recovery does not wait for the pool's reconnection back-off.
    """

    PROBE_SECONDS = 0.25

    def __init__(self):
        self.open = False
        self.last_probe = 0.0
        self.lock = threading.Lock()
        self.last_logged = 0.0

    def trip(self, exception):
        now = time.monotonic()
        with self.lock:
            if now - self.last_logged > 5:  # one line per 5 s, not one per request
                self.last_logged = now
                first_line = (str(exception).strip().splitlines() or [type(exception).__name__])[0]
                logger.error("database unavailable, serving 503: %s", first_line)
            if self.open or not _postgres_aliases():
                return
            self.open = True
            self.last_probe = now
        for alias in _postgres_aliases():
            try:
                connections[alias].close_pool()
            except Exception:  # a pool that cannot close cleanly is dropped anyway
                logger.debug("closing the %s pool failed", alias, exc_info=True)

    def allows(self):
        """False while the database is known to be down; probes it now and then."""
        if not self.open:
            return True
        with self.lock:
            now = time.monotonic()
            if now - self.last_probe < self.PROBE_SECONDS:
                return False
            self.last_probe = now
            if all(_probe(alias) for alias in _postgres_aliases()):
                self.open = False
                logger.warning("database reachable again")
                return True
            return False


def _postgres_aliases():
    return [alias for alias in connections if connections[alias].vendor == "postgresql"]


def _probe(alias):
    import psycopg

    wrapper = connections[alias]
    params = wrapper.get_connection_params()
    try:
        with psycopg.connect(**params) as probe:
            probe.execute("SELECT 1")
    except psycopg.Error:
        return False
    return True


breaker = _Breaker()


def database_unavailable(request, exception):
    breaker.trip(exception)
    return unavailable_response(request)


class DatabaseUnavailableMiddleware:
    """The 503 page, fast, while the database cannot be reached; never a traceback.

    Exceptions raised outside views (a session read in another middleware) reach
    `kb.views.server_error`, which gives the same page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not breaker.allows():
            return unavailable_response(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_unavailable(exception):
            return database_unavailable(request, exception)
        return None
