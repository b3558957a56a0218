"""django.contrib.admin with the analyst's site as `admin.site` (named in INSTALLED_APPS).

Its own module, not claims/apps.py: an apps module holding two AppConfig classes would need
`default` flags to say which one "claims" means.
"""

from django.contrib.admin.apps import AdminConfig


class AnalystAdminConfig(AdminConfig):
    default_site = "claims.admin_site.AnalystAdminSite"
