"""Read replica routing (optional: only when DATABASE_REPLICA_URL is set).

Public reads go to the replica; every write, every migration and every read outside a public
request (the admin, management commands, anything after a POST) stays on the primary, so an
analyst always sees their own edits. `ReplicaReadsMiddleware` marks the public requests.
"""

from contextvars import ContextVar

_public_read = ContextVar("kb_public_read", default=False)

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        return "replica" if _public_read.get() else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one data set, two copies

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # the replica follows the primary through replication


class ReplicaReadsMiddleware:
    """Reads of safe requests outside /admin/ go to the replica. A no-op without a replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        public = (
            "replica" in settings.DATABASES
            and request.method in SAFE_METHODS
            and not request.path.startswith("/admin/")
        )
        token = _public_read.set(public)
        try:
            return self.get_response(request)
        finally:
            _public_read.reset(token)


class reads_from_replica:
    """Context manager: route reads as a public request would (for tests and scripts)."""

    def __enter__(self):
        self._token = _public_read.set(True)
        return self

    def __exit__(self, *exc):
        _public_read.reset(self._token)
