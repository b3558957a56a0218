"""Who sees and does what through the API: the caller's Django permissions, nothing else.

Anonymous callers (and users without the model's view permission) see what the public pages
show (claims/public.py); an Analyst with a token also sees drafts. Writes need the permission
the admin would ask for the same change.
"""

from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.throttling import UserRateThrottle

from claims import public
from claims.models import Actor, Claim, Event, Evidence, Passage, Source

MODELS = {
    "claim": Claim,
    "actor": Actor,
    "event": Event,
    "source": Source,
    "passage": Passage,
    "evidence": Evidence,
}


def sees_all(user, kind):
    return user.is_authenticated and user.has_perm(f"claims.view_{kind}")


def visible(kind, user):
    """The rows of `kind` that `user` may read."""
    if sees_all(user, kind):
        return MODELS[kind].objects.all()
    return public.BY_KIND[kind]()


def require(user, *perms):
    """Raise 401 for an anonymous caller, 403 when a permission is missing."""
    if not user.is_authenticated:
        raise NotAuthenticated("Writes need a token: send “Authorization: Token <key>”.")
    missing = [p for p in perms if not user.has_perm(p)]
    if missing:
        raise PermissionDenied(f"Your account lacks the permission {', '.join(missing)}.")


class WriteThrottle(UserRateThrottle):
    """The `api_writes` rate, for requests that change something (per user, else address)."""

    scope = "api_writes"

    def allow_request(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return super().allow_request(request, view)
