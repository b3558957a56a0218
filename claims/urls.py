from django.urls import path, register_converter

from claims import views


class UnicodeSlugConverter:
    """Letters of any script, digits, hyphens and underscores: taggit's slugs ("россия"). Unlike
    `str`, it refuses control characters such as NUL, which PostgreSQL cannot even compare."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(UnicodeSlugConverter, "unicode_slug")

app_name = "claims"

urlpatterns = [
    path("", views.home, name="home"),
    path("claims/", views.claim_list, name="claim_list"),
    # Before claims/<slug>/, which would read "export.csv" as a claim's slug.
    path("claims/export.csv", views.export_csv, name="export_csv"),
    path("claims/export.jsonl", views.export_jsonl, name="export_jsonl"),
    path("claims/<slug:slug>/", views.claim_detail, name="claim_detail"),
    path(
        "claims/<slug:slug>/annotations.json",
        views.claim_annotations,
        name="claim_annotations",
    ),
    path("actors/", views.browse_index, {"kind": "actors"}, name="actors_index"),
    path("sources/", views.browse_index, {"kind": "sources"}, name="sources_index"),
    path("events/", views.browse_index, {"kind": "events"}, name="events_index"),
    path("tags/", views.browse_index, {"kind": "tags"}, name="tags_index"),
    path("timeline/", views.timeline_page, name="timeline"),
    path("actors/<slug:slug>/", views.actor_detail, name="actor_detail"),
    path("events/<slug:slug>/", views.event_detail, name="event_detail"),
    path("sources/<slug:slug>/", views.source_detail, name="source_detail"),
    path("tags/<unicode_slug:slug>/", views.tag_detail, name="tag_detail"),
    path("map/", views.map_page, name="actor_map"),
]
