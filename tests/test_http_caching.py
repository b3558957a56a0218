"""HTTP caching: public pages, feeds and API responses carry Cache-Control and an ETag,
a conditional GET with a matching ETag gets 304, and any public edit changes the ETag."""

import pytest

from tests.api_client import token_client, user_in

PUBLIC = ["/", "/claims/", "/api/v1/claims/", "/feeds/claims/", "/sitemap.xml"]


@pytest.mark.parametrize("url", PUBLIC)
def test_a_matching_etag_gets_304_and_an_edit_changes_it(
    client, world, url, django_capture_on_commit_callbacks
):
    first = client.get(url)
    assert first.status_code == 200
    assert first["Cache-Control"] == "public, no-cache"
    etag = first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    with django_capture_on_commit_callbacks(execute=True):  # the cache bumps on commit
        world.claim.statement = "A new statement, visible at once."
        world.claim.save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_a_claim_page_and_its_api_record_revalidate(client, world):
    for url in (world.claim.get_absolute_url(), f"/api/v1/claims/{world.claim.pk}/"):
        etag = client.get(url)["ETag"]
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_feed_says_when_it_last_changed(client, world, settings):
    settings.CACHE_MIDDLEWARE_SECONDS = 0  # the page cache keeps the body, not this header
    response = client.get("/feeds/claims/")
    since = response["Last-Modified"]
    assert client.get("/feeds/claims/", HTTP_IF_MODIFIED_SINCE=since).status_code == 304


def test_responses_for_a_token_are_private(world):
    response = token_client(user_in("Analyst")).get("/api/v1/claims/")
    assert response["Cache-Control"] == "private, no-cache"
    assert "Authorization" in response["Vary"]


def test_errors_and_the_admin_are_not_cached_as_public(client, admin_client, world):
    assert "public" not in client.get("/claims/?disputed=maybe").get("Cache-Control", "")
    assert "public" not in client.get("/api/v1/claims/999999/").get("Cache-Control", "")
    assert "no-store" in admin_client.get("/admin/").get("Cache-Control", "")
