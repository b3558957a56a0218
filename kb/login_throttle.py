"""Admin login throttling: after LOGIN_FAILURE_LIMIT failed attempts for one user name from one
address, that pair is refused for LOGIN_LOCKOUT_SECONDS with a message that says so.

Counters live in the cache (shared through REDIS_URL, so every app server counts together). The
key is the pair, not the address alone, so one office behind a NAT does not lock everyone out,
and not the user name alone, so a stranger cannot lock an analyst out from elsewhere; a looser
per-address limit (10× the pair's) stops one address spraying many user names.
"""

import hashlib

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError


def client_address(request):
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        # The proxy appends the address it saw: the last entry is the one nobody can forge.
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR", "")


def _keys(request, username):
    address = client_address(request)
    pair = hashlib.sha256(f"{address}\0{username.casefold()}".encode()).hexdigest()
    return (
        f"login-fail:pair:{pair}",
        f"login-fail:addr:{hashlib.sha256(address.encode()).hexdigest()}",
    )


def is_locked(request, username):
    pair_key, address_key = _keys(request, username)
    counts = cache.get_many([pair_key, address_key])
    limit = settings.LOGIN_FAILURE_LIMIT
    return counts.get(pair_key, 0) >= limit or counts.get(address_key, 0) >= 10 * limit


def record_failure(request, username):
    for key in _keys(request, username):
        # add() starts the window; incr() keeps it (the lockout runs from the first failure).
        if not cache.add(key, 1, settings.LOGIN_LOCKOUT_SECONDS):
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.add(key, 1, settings.LOGIN_LOCKOUT_SECONDS)


def clear(request, username):
    cache.delete(_keys(request, username)[0])


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "throttled": (
            "Too many failed login attempts for this user from your address. "
            "Logins for it are paused for %(minutes)s minutes; try again later."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if self.request is not None and is_locked(self.request, username):
            raise ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": max(1, settings.LOGIN_LOCKOUT_SECONDS // 60)},
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            if self.request is not None:
                record_failure(self.request, username)
            raise
        if self.request is not None:
            clear(self.request, username)
        return cleaned
