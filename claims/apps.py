from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims knowledge base"

    def ready(self):
        from claims import cache, changes

        cache.connect()
        changes.connect()


class AnalystAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the analyst's site (claims/admin_site.py) as `admin.site`.

    Not the default config of this module (`default = False`): "claims" stays ClaimsConfig."""

    default = False

    default_site = "claims.admin_site.AnalystAdminSite"
