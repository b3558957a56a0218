"""Whole-page cache for the public pages, invalidated by any edit to what a page shows.

Pages are cached under a key that holds a version number; `bump()` moves to a new version, so
every cached page goes stale at once and the next request renders afresh. Invalidation by
version rather than by page is deliberate: a claim shows on its own page, the list, the home,
its actors', event's, tags' and sources' pages, and tracking each would be error-prone.

What bumps: every save/delete of a claims model and m2m change on one (claim subjects,
evidence actors), taggit's TaggedItem/Tag, and `queryset.update()` on claims. The receivers
are signals on purpose (STYLE prefers explicit calls): edits come from the admin, simple_history
restores, taggit's managers and seeding, code we do not own; a signal is the one hook all share.

The bump waits for the commit (`transaction.on_commit`). Bumping before it left a gap: a
reader between the bump and the commit rendered the old rows and cached them under the new
version, so a withdrawn claim stayed public for the cache's lifetime. Now a reader takes the
version *before* it reads the database: one that read old rows either holds the old version
(already stale once the bump lands) or read after the commit. A rolled-back edit bumps nothing.
However many rows a transaction writes, its commit bumps once.

Tests on the `db` fixture run inside a transaction that never commits, so no bump happens
there: a test that expects an edit on the next request wraps the edit in
`django_capture_on_commit_callbacks(execute=True)`, which runs the callbacks as the commit
would. That keeps the tests honest about the rule (only committed edits show); an extra
immediate bump to please them would reopen the gap above.

The version lives in the cache itself: with several processes use a shared cache (REDIS_URL);
LocMemCache (the default) is per process, right for development and tests.
"""

import functools
import hashlib
import threading

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse

VERSION_KEY = "pages:version"


def version():
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        current = cache.get(VERSION_KEY, 1)
    return current


def _bump_now():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (or evicted): start one past anything cached before
        cache.set(VERSION_KEY, version() + 1, timeout=None)


class _Pending(threading.local):
    """This thread's bump waiting for a commit. Every write registers a callback holding the
    same token; the first callback to run after the commit bumps and retires the token, the
    rest see it retired. Callbacks of a rolled-back transaction are dropped by Django and
    never run: the token then stays live for the next transaction's callbacks."""

    token = None


_pending = _Pending()


def _bump_once(token):
    if token["done"]:
        return
    token["done"] = True
    if _pending.token is token:
        _pending.token = None
    _bump_now()


def bump():
    """Make every cached page stale once the current transaction commits (at once outside a
    transaction; never if it rolls back)."""
    if _pending.token is None:
        _pending.token = {"done": False}
    # robust: the edit is committed whatever the cache does next; a failed bump is logged.
    transaction.on_commit(functools.partial(_bump_once, _pending.token), robust=True)


def _key(request):
    raw = f"{request.get_host()}{request.get_full_path()}".encode()
    return f"page:{version()}:{hashlib.sha256(raw).hexdigest()}"


def cached_page(view):
    """Cache successful anonymous GET responses of `view` until the next `bump()`.

    PAGE_CACHE_SECONDS=0 turns the cache off (the benchmark's uncached run)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if (
            not settings.CACHE_MIDDLEWARE_SECONDS
            or request.method != "GET"
            or request.user.is_authenticated
        ):
            return view(request, *args, **kwargs)
        key = _key(request)
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            cache.set(
                key,
                (response.content, response["Content-Type"]),
                settings.CACHE_MIDDLEWARE_SECONDS,
            )
        return response

    return wrapper


def _bump_on_change(sender, **kwargs):
    bump()


def connect():
    """Called from ClaimsConfig.ready(): every claims model and taggit's rows bump the version."""
    from django.apps import apps

    models = list(apps.get_app_config("claims").get_models())
    models += [apps.get_model("taggit", "TaggedItem"), apps.get_model("taggit", "Tag")]
    for model in models:
        if model.__name__.startswith("Historical"):
            continue  # the history row comes with a save of the real row, which bumps
        uid = f"claims-cache-{model._meta.label_lower}"
        post_save.connect(_bump_on_change, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_bump_on_change, sender=model, dispatch_uid=f"{uid}-delete")
    for through in (
        apps.get_model("claims", "Claim").subjects.through,
        apps.get_model("claims", "Evidence").actors.through,
    ):
        m2m_changed.connect(_bump_on_change, sender=through, dispatch_uid=f"claims-cache-{through}")
