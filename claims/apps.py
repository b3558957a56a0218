from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims knowledge base"

    def ready(self):
        from claims import cache, changes

        cache.connect()
        changes.connect()
