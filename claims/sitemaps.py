"""`/sitemap.xml` (an index of paged sitemaps, django.contrib.sitemaps) and `/robots.txt`.

One section per kind of public page; each sitemap page lists at most `LIMIT` URLs, so a million
claims are 20 pages under one index. Items are value rows (slug, last change), never model
instances. Cached like the pages until the next public edit.
"""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponse
from django.urls import path, reverse

from claims import public
from claims.cache import cached_page
from claims.models import slug_url

LIMIT = 50_000  # the sitemap protocol's maximum per file


class PublicPages(Sitemap):
    """The public pages of one kind: `rows()` (a claims/public.py rule) in id order, each as
    its slug and last change."""

    limit = LIMIT

    def __init__(self, url_name, rows, dated=True):
        self.url_name, self.rows, self.dated = url_name, rows, dated

    def items(self):
        fields = ("slug", "updated_at") if self.dated else ("slug",)
        return self.rows().order_by("pk").values_list(*fields)

    def location(self, item):
        return slug_url(self.url_name, item[0])

    def lastmod(self, item):
        return item[1] if self.dated else None


class IndexPages(Sitemap):
    """The browse indexes and the pictures: a handful of fixed URLs."""

    URL_NAMES = (
        "claims:claim_list",
        "claims:actors_index",
        "claims:sources_index",
        "claims:events_index",
        "claims:tags_index",
        "claims:actor_map",
        "claims:timeline",
    )

    def items(self):
        return self.URL_NAMES

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "claims": PublicPages("claims:claim_detail", public.claims),
    "actors": PublicPages("claims:actor_detail", public.actors),
    "events": PublicPages("claims:event_detail", public.events),
    "sources": PublicPages("claims:source_detail", public.sources),
    "tags": PublicPages("claims:tag_detail", public.tags, dated=False),
    "indexes": IndexPages(),
}


def rendered(view):
    """The sitemap views answer a TemplateResponse; the page cache stores rendered bytes."""

    def wrapper(request, *args, **kwargs):
        return view(request, *args, **kwargs).render()

    return wrapper


ROBOTS = """User-agent: *
Disallow: /admin/
Disallow: /api/
Disallow: /claims/export.
Disallow: /claims/?
Sitemap: {sitemap}
"""


def robots_txt(request):
    """Crawlers may read every public page, but not the admin, the API, the exports or the
    endless combinations of list filters; the sitemap lists the pages."""
    sitemap = request.build_absolute_uri(reverse("sitemap_index"))
    return HttpResponse(ROBOTS.format(sitemap=sitemap), content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("robots.txt", robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        cached_page(rendered(sitemap_views.index)),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap_index",
    ),
    path(
        "sitemap-<section>.xml",
        cached_page(rendered(sitemap_views.sitemap)),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
]
