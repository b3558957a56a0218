"""Passages: spans of a source. Analysts usually make them through a claim's evidence quote."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from claims.admin.common import EstimatedCountPaginator
from claims.admin.publishing import PublishingRuleAdmin, as_id
from claims.models import Evidence, Passage


@admin.register(Passage)
class PassageAdmin(PublishingRuleAdmin, SimpleHistoryAdmin):
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

    def claims_touched(self, request, object_id):
        """Moving a passage changes the quote of every claim citing it."""
        citing = Evidence.objects.filter(passage_id=as_id(object_id))
        return list(citing.values_list("claim_id", flat=True))
