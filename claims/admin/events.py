"""Events and who took part."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from claims.admin.common import EstimatedCountPaginator
from claims.models import Event, EventParticipant


class EventParticipantInline(admin.TabularInline):
    model = EventParticipant
    extra = 0
    autocomplete_fields = ("actor",)


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ("title", "kind", "date_label", "location", "updated_at")
    list_filter = ("kind", "date_precision")
    paginator = EstimatedCountPaginator
    show_facets = admin.ShowFacets.NEVER  # counts per filter choice would scan the table
    show_full_result_count = False
    search_fields = ("title",)
    inlines = (EventParticipantInline,)


@admin.register(EventParticipant)
class EventParticipantAdmin(SimpleHistoryAdmin):
    list_display = ("event", "actor", "role")
    list_select_related = ("event", "actor")
    search_fields = ("event__title", "actor__name", "role")
    autocomplete_fields = ("event", "actor")
