"""Keyset ("cursor") pagination: the next page is the rows after the last one shown in the
list's order, found through the ordering index. No OFFSET, no COUNT: page 40,000 of a million
claims costs what page 1 costs.

The cursor is opaque to callers: the last row's ordering values, JSON in URL-safe base64.
DRF's own CursorPagination keys on its first ordering field only (ties fall back to an OFFSET);
the claims' order (created_at, id) needs both, so this one compares the whole tuple.
"""

import base64
import binascii
import datetime
import json

from django.db.models import Q
from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

DEFAULT_LIMIT = 25
MAX_LIMIT = 100


def _encode(values):
    plain = [v.isoformat() if isinstance(v, datetime.datetime) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def _decode(cursor, ordering):
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (ValueError, binascii.Error):
        values = None
    if not isinstance(values, list) or len(values) != len(ordering):
        raise ValidationError({"cursor": "Not a cursor from this list; start without one."})
    out = []
    for field, value in zip(ordering, values, strict=True):
        if field.lstrip("-").endswith("_at"):
            value = parse_datetime(value) if isinstance(value, str) else None
        elif not isinstance(value, int) or isinstance(value, bool):
            value = None
        if value is None:
            raise ValidationError({"cursor": "Not a cursor from this list; start without one."})
        out.append(value)
    return out


def after(ordering, values):
    """Q for the rows after `values` in `ordering` (("-created_at", "-id"): (a, b) < (x, y))."""
    condition = Q()
    for i in reversed(range(len(ordering))):
        name = ordering[i].lstrip("-")
        op = "lt" if ordering[i].startswith("-") else "gt"
        strict = Q(**{f"{name}__{op}": values[i]})
        condition = (
            strict if i == len(ordering) - 1 else strict | (Q(**{name: values[i]}) & condition)
        )
    # The same bound on the first field alone, which the database can seek an index to.
    first = ordering[0].lstrip("-")
    op = "lte" if ordering[0].startswith("-") else "gte"
    return Q(**{f"{first}__{op}": values[0]}) & condition


def limit_of(request):
    raw = request.query_params.get("limit", "")
    if not raw:
        return DEFAULT_LIMIT
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise ValidationError({"limit": f"A whole number from 1 to {MAX_LIMIT}."})
    return int(raw)


class KeysetPagination(BasePagination):
    """`paginate(queryset, request, ordering)` → the page's primary keys, in order."""

    def paginate(self, queryset, request, ordering):
        self.request = request
        limit = limit_of(request)
        cursor = request.query_params.get("cursor")
        if cursor:
            queryset = queryset.filter(after(ordering, _decode(cursor, ordering)))
        fields = [f.lstrip("-") for f in ordering]
        rows = list(queryset.order_by(*ordering).values_list(*fields)[: limit + 1])
        self.next_values = rows[limit - 1] if len(rows) > limit else None
        pk_index = fields.index("id")
        return [row[pk_index] for row in rows[:limit]]

    def next_link(self):
        if self.next_values is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, "cursor", _encode(self.next_values))

    def get_paginated_response(self, data):
        return Response({"next": self.next_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {"type": "string", "format": "uri", "nullable": True},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "cursor",
                "in": "query",
                "required": False,
                "description": "From the previous page's `next` link; omit for the first page.",
                "schema": {"type": "string"},
            },
            {
                "name": "limit",
                "in": "query",
                "required": False,
                "description": f"Rows per page, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
            },
        ]
