from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from claims.admin_ingest import ingest_view
from kb.login_throttle import ThrottledAdminAuthenticationForm
from kb.views import healthz

admin.site.login_form = ThrottledAdminAuthenticationForm

handler500 = "kb.views.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Before the admin's URLs, which would read "ingest" as a source id.
    path("admin/claims/source/ingest/", ingest_view, name="admin_ingest"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("claims.api.urls")),
    path("feeds/", include("claims.feeds")),
    path("", include("claims.sitemaps")),
    path("", include("claims.urls")),
]

if settings.BENCH_REFERENCE_VIEW:
    from bench.reference import bare

    urlpatterns.append(path("bench/bare/", bare))
