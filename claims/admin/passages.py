"""Passages: spans of a source. Analysts usually make them through a claim's evidence quote."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from claims.admin.common import EstimatedCountPaginator
from claims.models import Passage


@admin.register(Passage)
class PassageAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "source", "kind", "start", "end")
    list_filter = ("kind",)
    list_select_related = ("source",)
    paginator = EstimatedCountPaginator
    show_facets = admin.ShowFacets.NEVER  # counts per filter choice would scan the table
    show_full_result_count = False
    search_fields = ("text",)
    autocomplete_fields = ("source", "repeat_of")

    def get_queryset(self, request):
        return super().get_queryset(request).defer("source__text")
