from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims knowledge base"

    def ready(self):
        from django.db.models.signals import post_migrate

        from claims import cache, changes, sqlite

        cache.connect()
        changes.connect()
        post_migrate.connect(sqlite.after_migrate, sender=self)
