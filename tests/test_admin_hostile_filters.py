"""Every filter of every admin changelist refuses bad values without a 500 (issue 15, finding 9).

The walk takes each registered model's changelist, collects the query parameters its page links
to (filters, date hierarchy, sorting, paging) plus its search box and its autocomplete filters,
and sends each one every bad value: a 400, a redirect to Django's "?e=1" notice, or a page (an
empty result) are all fine answers; a server error is not.
"""

import re
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

BAD_VALUES = [  # one of each kind: NUL, huge, long, negative, not a number, not a date, hostile
    "draft\x00",
    "99999999999999999999999",
    "a" * 5000,
    "-1",
    "1.5e309",
    "2024-13-45",
    "ü😀",
    '<script>alert(1)</script>=HYPERLINK("http://x")',
]
LINK = re.compile(r'href="(\?[^"]*)"')
FIELD = re.compile(r'<(?:select|input)[^>]*\bname="([^"]+)"')
AUTOCOMPLETE = re.compile(
    r'data-app-label="([^"]+)" data-model-name="([^"]+)" data-field-name="([^"]+)"'
)


def changelists():
    for model in apps.get_models():
        if admin.site.is_registered(model):
            meta = model._meta
            yield reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")


def parameters(html):
    """The query parameter names a changelist page offers: its links and its filter widgets."""
    names = {"q", "o", "p", "e", "_facets"}
    for href in LINK.findall(html):
        names |= {name for name, _ in parse_qsl(urlsplit(unescape(href)).query)}
    if 'id="changelist-filter"' in html:
        sidebar = html.split('id="changelist-filter"', 1)[1]
        names |= set(FIELD.findall(sidebar)) - {"csrfmiddlewaretoken"}
    return names


@pytest.fixture
def superuser_client(world, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.org", "x" * 16)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_every_filter_of_every_changelist_refuses_bad_values_without_a_500(superuser_client):
    walked, failed = [], []
    for url in changelists():
        page = superuser_client.get(url)
        assert page.status_code == 200, url
        names = parameters(page.content.decode())
        for name in sorted(names):
            for value in BAD_VALUES:
                response = superuser_client.get(url, {name: value})
                if response.status_code not in (200, 302, 400):
                    failed.append((url, name, value[:20], response.status_code))
                walked.append((url, name))
    assert failed == [], "\n".join(map(repr, failed))
    assert ("/admin/claims/claim/", "status__exact") in walked
    assert ("/admin/claims/claim/", "claimant") in walked  # an autocomplete filter
    assert len({url for url, _ in walked}) >= 8


def test_the_autocompletes_behind_the_filters_refuse_bad_values_without_a_500(
    superuser_client,
):
    widgets = set()
    for url in changelists():
        widgets |= set(AUTOCOMPLETE.findall(superuser_client.get(url).content.decode()))
    assert ("claims", "claim", "claimant") in widgets
    failed = []
    for app_label, model_name, field_name in sorted(widgets):
        for name in ("term", "page", "app_label", "model_name", "field_name"):
            for value in BAD_VALUES:
                query = {
                    "app_label": app_label,
                    "model_name": model_name,
                    "field_name": field_name,
                    name: value,
                }
                response = superuser_client.get("/admin/autocomplete/", query)
                if response.status_code not in (200, 302, 400, 403, 404):
                    failed.append((model_name, field_name, name, value[:20], response.status_code))
    assert failed == [], "\n".join(map(repr, failed))


def test_a_nul_byte_in_a_filter_is_refused_with_a_400(superuser_client):
    response = superuser_client.get("/admin/claims/claim/?status__exact=%00")
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
