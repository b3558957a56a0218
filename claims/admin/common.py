"""Pieces the admin modules share: a paginator that does not count big tables, and list
filters whose choices come from an autocomplete instead of a scan."""

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

MAX_ID = 2**63 - 1  # the largest BigAutoField value

# Below this many rows (by the planner's estimate) an exact COUNT(*) is cheap: use it.
EXACT_COUNT_BELOW = 20_000


def table_count(queryset):
    """The rows of the queryset's whole table in one query on PostgreSQL: the planner's
    estimate when it says the table is big, else an exact COUNT(*) (run only in that case:
    PostgreSQL evaluates the uncorrelated subquery lazily). None on other databases."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    table = connection.ops.quote_name(queryset.model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT CASE WHEN reltuples >= %s THEN reltuples::bigint "
            f"ELSE (SELECT COUNT(*) FROM {table}) END "
            "FROM pg_class WHERE oid = %s::regclass",
            [EXACT_COUNT_BELOW, queryset.model._meta.db_table],
        )
        row = cursor.fetchone()
    return row[0] if row else None


class EstimatedCountPaginator(Paginator):
    """An unfiltered changelist of a big PostgreSQL table is counted from the planner's
    statistics instead of a full-table COUNT(*); filtered lists count exactly. Either way the
    count is one query."""

    @cached_property
    def count(self):
        queryset = self.object_list
        if hasattr(queryset, "query") and not queryset.query.where:
            rows = table_count(queryset)
            if rows is not None:
                return rows
        return super().count


AUTOCOMPLETE_MEDIA = forms.Media(
    js=(
        "admin/js/vendor/jquery/jquery.js",
        "admin/js/vendor/select2/select2.full.js",
        "admin/js/jquery.init.js",
        "admin/js/autocomplete.js",
        "claims/admin_filters.js",
    ),
    css={"screen": ("admin/css/vendor/select2/select2.css", "admin/css/autocomplete.css")},
)


class AutocompleteFilter(admin.ListFilter):
    """A list filter picking one related row through the admin's autocomplete (an indexed
    search), so rendering it never lists or scans the table behind it.

    Subclasses set `title`, `parameter_name`, `field` (a (model, field name) pair whose
    related model's admin has `search_fields`) and `filter(queryset, pk)`.
    """

    template = "admin/claims/autocomplete_filter.html"
    parameter_name = None
    field = None

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.used_parameters = {}
        if self.parameter_name in params:
            value = params.pop(self.parameter_name)
            self.used_parameters[self.parameter_name] = (
                value[-1] if isinstance(value, list) else value
            )
        self.admin_site = model_admin.admin_site
        self.request_params = request.GET

    def has_output(self):
        return True

    def expected_parameters(self):
        return [self.parameter_name]

    def value(self):
        return self.used_parameters.get(self.parameter_name)

    def queryset(self, request, queryset):
        value = self.value()
        if value in (None, ""):
            return queryset
        try:
            pk = int(value)
        except (TypeError, ValueError) as exc:
            raise IncorrectLookupParameters(f"{self.title}: not an id") from exc
        if not 0 < pk <= MAX_ID:  # SQLite cannot even bind a larger number
            raise IncorrectLookupParameters(f"{self.title}: not an id")
        return self.filter(queryset, pk)

    def widget_html(self):
        model, name = self.field
        db_field = model._meta.get_field(name)
        related = db_field.remote_field.model
        field = forms.ModelChoiceField(
            queryset=related._default_manager.all(),
            required=False,
            widget=AutocompleteSelect(
                db_field,
                self.admin_site,
                attrs={
                    "data-placeholder": f"Any {self.title}",
                    "aria-label": f"Filter by {self.title}",
                    "style": "width: 100%",
                },
            ),
        )
        return field.widget.render(
            self.parameter_name, self.value(), attrs={"id": f"filter-{self.parameter_name}"}
        )

    def choices(self, changelist):
        keep = [
            (name, value)
            for name, values in self.request_params.lists()
            if name not in (self.parameter_name, "p")
            for value in values
        ]
        yield {
            "widget": self.widget_html(),
            "hidden": keep,
            "clear_url": changelist.get_query_string(remove=[self.parameter_name, "p"]),
            "selected": self.value() not in (None, ""),
        }
