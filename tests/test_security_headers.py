"""Security headers on every page, and templates that a strict CSP does not break."""

import re

import pytest
from django.contrib.auth.models import User

PUBLIC = ["/", "/claims/", "/claims/?q=weapons", "/no-such-page/"]


def _world_pages(world):
    return PUBLIC + [
        world.claim.get_absolute_url(),
        f"/actors/{world.claimant.slug}/",
        f"/events/{world.event.slug}/",
        f"/sources/{world.source_a.slug}/",
    ]


def _directives(policy):
    return {d.split()[0]: d.split()[1:] for d in (part.strip() for part in policy.split(";")) if d}


@pytest.mark.django_db
def test_every_public_page_sends_csp_nosniff_referrer_and_frame_denial(client, world):
    for url in _world_pages(world):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        csp = _directives(response["Content-Security-Policy"])
        assert csp["script-src"] == ["'self'"], url
        assert csp["style-src"] == ["'self'"], url
        assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_admin_pages_forbid_inline_scripts_too(client):
    user = User.objects.create_superuser("root", "root@example.org", "a-long-passphrase-1")
    client.force_login(user)
    for url in ["/admin/login/", "/admin/", "/admin/claims/claim/", "/admin/claims/claim/add/"]:
        response = client.get(url)
        assert (
            "'unsafe-inline'" not in _directives(response["Content-Security-Policy"])["script-src"]
        ), url
        assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_public_pages_have_no_inline_script_style_or_event_handler(client, world):
    """The CSP would block them: the only <script> allowed is JSON-LD, which is data."""
    for url in _world_pages(world):
        html = client.get(url).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert 'type="application/ld+json"' in tag, (url, tag)
        assert "<style" not in html, url
        assert not re.search(r"<[a-z][^>]*\s(on[a-z]+|style)\s*=", html), url
