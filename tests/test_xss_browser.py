"""Hostile content rendered inert: a corpus of XSS payloads in every text field (statements,
quotes, names, aliases, titles, descriptions, tags, notes), every public and admin page opened
in headless Chromium. No dialog may open, no payload may become an element (each carries a
`data-xss` attribute to find it), and no Content-Security-Policy violation may be reported:
a blocked inline script would mean the escaping failed and only the CSP saved us."""

import pytest
from django.core.exceptions import ValidationError

pytestmark = pytest.mark.browser
PAYLOADS = [
    '<script data-xss>alert("xss-script")</script>',
    "<img src=x data-xss onerror=\"alert('xss-img')\">",
    '"><svg data-xss onload=alert("xss-svg")>',
    "'><b data-xss onmouseover=alert(1)>bold</b>",
    '</script><script data-xss>alert("xss-breakout")</script>',
    "<a data-xss href=\"javascript:alert('xss-link')\">click</a>",
    '<iframe data-xss srcdoc="<script>parent.alert(1)</script>"></iframe>',
    "<style data-xss>body{display:none}</style>",
    "<textarea data-xss>",
    "&lt;b data-xss&gt;pre-escaped&lt;/b&gt; {{ 7|add:7 }} {% now 'Y' %}",
    '<input data-xss autofocus onfocus=alert("xss-focus")>',
    "<!-- <details data-xss open ontoggle=alert(1)>",
]


def build_hostile_world():
    """Every text field of every kind of row holds payloads; the claims are published."""
    from django.contrib.auth.models import User

    from claims.models import Actor, ActorAlias, Claim, Event, EventParticipant, Evidence
    from claims.sources import store_source
    from tests.reader_world import quote

    text = "\n".join(f"Paragraph {i} says {p} plainly." for i, p in enumerate(PAYLOADS))
    source, _ = store_source(
        text, title=PAYLOADS[0], publisher=PAYLOADS[1], origin=PAYLOADS[2], url="https://e.org/x"
    )
    event = Event.objects.create(
        title=PAYLOADS[4], location=PAYLOADS[5], description=PAYLOADS[6], slug="hostile-event"
    )
    claims = []
    for i, payload in enumerate(PAYLOADS):
        actor = Actor(name=f"{payload} {i}", description=payload, kind=Actor.Kind.PERSON)
        actor.save()
        ActorAlias.objects.get_or_create(actor=actor, name=f"alias {i} {payload}"[:200])
        EventParticipant.objects.create(event=event, actor=actor, role=payload[:50])
        claim = Claim(
            statement=f"Claim {i}: {payload}",
            status=Claim.Status.PUBLISHED,
            claimant=actor,
            event=event,
        )
        claim.save()
        claim.subjects.set([actor])
        claim.tags.add(f"tag {i} {payload}"[:100])
        Evidence.objects.create(claim=claim, passage=quote(source, payload), note=payload)
        disputing = Evidence.objects.create(
            claim=claim,
            passage=quote(source, f"Paragraph {i} says"),
            stance=Evidence.Stance.DISPUTES,
            note=payload,
        )
        disputing.actors.set([actor])
        claims.append(claim)
    draft = Claim(statement=f"Draft: {PAYLOADS[0]}", status=Claim.Status.DRAFT)
    draft.save()
    User.objects.create_superuser("root", "root@example.org", "a-long-admin-passphrase")
    return source, event, claims, draft


def public_urls(source, event, claims):
    from urllib.parse import quote as urlquote

    from taggit.models import Tag

    urls = ["/", "/claims/", "/claims/?disputed=yes", f"/sources/{source.slug}/"]
    urls.append(f"/events/{event.slug}/")
    urls += [f"/claims/?q={urlquote(p)}" for p in PAYLOADS[:3]]
    for claim in claims:
        urls += [claim.get_absolute_url(), claim.claimant.get_absolute_url()]
    urls += [f"/tags/{tag.slug}/" for tag in Tag.objects.all()]
    return urls


def admin_urls(source, event, claims, draft):
    """Every registered model's list (plain and searched for a payload), and the change, history
    and delete pages of hostile rows, for whatever the admin registers."""
    from urllib.parse import quote as urlquote

    from django.contrib import admin

    from claims.models import Actor, Claim, Event, Evidence, Passage, Source

    claim, actor = claims[1], claims[1].claimant
    rows = {
        Claim: [claim, draft],
        Actor: [actor],
        Event: [event],
        Source: [source],
        Passage: [Passage.objects.filter(source=source).last()],
        Evidence: [Evidence.objects.filter(claim=claim).first()],
    }
    urls = ["/admin/", "/admin/claims/", "/admin/claims/source/ingest/"]
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        urls += [base, f"{base}?q={urlquote(PAYLOADS[1])}"]
        for obj in rows.get(model, []):
            urls += [f"{base}{obj.pk}/change/", f"{base}{obj.pk}/history/"]
    urls += [f"/admin/claims/claim/{claim.pk}/delete/", f"/admin/claims/actor/{actor.pk}/delete/"]
    return urls


INSPECT = """() => ({
  injected: document.querySelectorAll('[data-xss]').length,
  flag: window.__xss === undefined ? null : String(window.__xss),
  jsLinks: document.querySelectorAll('a[href^="javascript:" i]').length,
  inlineScripts: [...document.scripts].filter(
    s => !s.src && !/json/.test(s.type || '')).length,
})"""


def test_xss_payloads_in_every_field_are_inert_on_every_page(
    browser, transactional_db, live_server
):
    source, event, claims, draft = build_hostile_world()
    context = browser.new_context()
    page = context.new_page()
    problems = []
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.on(
        "console",
        lambda m: "Content Security Policy" in m.text and problems.append(f"CSP: {m.text}"),
    )
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "a-long-admin-passphrase")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    visited = 0
    for url in public_urls(source, event, claims) + admin_urls(source, event, claims, draft):
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        page.wait_for_load_state("load")
        found = page.evaluate(INSPECT)
        assert found == {"injected": 0, "flag": None, "jsLinks": 0, "inlineScripts": 0}, url
        visited += 1
    # Interaction: hovering and focusing would fire injected handlers, if any existed.
    page.goto(live_server.url + claims[3].get_absolute_url())
    page.mouse.move(200, 200)
    page.keyboard.press("Tab")
    assert problems == []
    assert visited > 40
    context.close()


def test_a_javascript_url_cannot_be_stored_as_a_source_link(db):
    from claims.models import Source

    source = Source(title="t", text="Body.", url="javascript:alert(1)")
    with pytest.raises(ValidationError) as error:
        source.full_clean()
    assert "url" in error.value.message_dict
