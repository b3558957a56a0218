"""The other shapes of a filtered claim list: CSV, JSON Lines, Atom and the JSON API, each with
the list's own filters (what the claim list links, and its `<link rel="alternate">`)."""

from django.urls import reverse
from django.utils.http import urlencode


def _with(url, params):
    return f"{url}?{urlencode(params)}" if params else url


def claim_list_alternates(params):
    """[(label, MIME type, URL)] for the claim list's filters `params`."""
    ordered = {k: v for k, v in params.items() if k != "sort"}  # feeds: newest published first
    api = dict(params) if params.get("sort") != "corroborated" else ordered
    return [
        ("CSV", "text/csv", _with(reverse("claims:export_csv"), params)),
        ("JSON Lines", "application/jsonl", _with(reverse("claims:export_jsonl"), params)),
        ("Atom feed", "application/atom+xml", _with(reverse("feeds:claims"), ordered)),
        ("JSON API", "application/json", _with(reverse("api:claim_list"), api)),
    ]
