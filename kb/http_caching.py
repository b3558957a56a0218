"""HTTP caching headers for the public pages, feeds and API.

A public response (a successful GET or HEAD that no login or token shaped) gets
`Cache-Control: settings.PUBLIC_CACHE_CONTROL` ("public, no-cache": anyone may keep it but must
revalidate). Django's ConditionalGetMiddleware adds the `ETag`, a hash of the content, and
answers `If-None-Match` with 304, so a validator changes exactly when the page does: after any
public edit bumps the page cache's version (claims/cache.py) the page renders anew and, if it
changed, under a new ETag. The Atom feeds also send `Last-Modified` (the newest entry).

Anything shaped by who asks (a session, an `Authorization` header) is `private, no-cache`; the
admin sets its own `no-cache, no-store` (never_cache); responses that set Cache-Control keep it.
"""

from django.conf import settings
from django.utils.cache import patch_vary_headers

PRIVATE = "private, no-cache"


def _personal(request):
    user = getattr(request, "user", None)
    return "HTTP_AUTHORIZATION" in request.META or bool(user and user.is_authenticated)


def cache_control(get_response):
    def middleware(request):
        response = get_response(request)
        if request.path.startswith("/api/"):
            patch_vary_headers(response, ["Authorization"])
        if (
            request.method not in ("GET", "HEAD")
            or response.status_code != 200
            or response.has_header("Cache-Control")
        ):
            return response
        response["Cache-Control"] = PRIVATE if _personal(request) else settings.PUBLIC_CACHE_CONTROL
        return response

    return middleware
