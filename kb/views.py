"""Project-level views: the health check and the error handlers."""

import sys

from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.defaults import server_error as django_server_error

from kb.middleware import database_unavailable, is_unavailable


@never_cache
def healthz(request):
    """200 when every configured database answers `SELECT 1`, else 503. For load balancers:
    no session, no template, one round trip per database."""
    checks = {}
    for alias in connections:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
            checks[alias] = "ok"
        except Exception as exc:  # any failure means "do not route traffic here"
            checks[alias] = type(exc).__name__
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "databases": checks},
        status=200 if healthy else 503,
    )


def server_error(request):
    """handler500: a database outage anywhere in the stack is a 503, anything else the 500 page."""
    exception = sys.exc_info()[1]
    if exception is not None and is_unavailable(exception):
        return database_unavailable(request, exception)
    return django_server_error(request)
