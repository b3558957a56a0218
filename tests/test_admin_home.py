"""The analyst's admin home (claims/admin_site.py): review queue, drafts from the latest
ingests, ingest and export links, and the models in the order an analyst works."""

import datetime
import re

import pytest
from django.utils import timezone

from claims.models import Claim
from tests.admin_forms import login
from tests.factories import add_evidence, make_claim, make_passage, make_source

pytestmark = pytest.mark.django_db


def _home(client):
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def _section(html, section_id):
    match = re.search(rf'<section[^>]*id="{section_id}".*?</section>', html, re.S)
    assert match, section_id
    return match.group(0)


def _age(claim, days):
    Claim.objects.filter(pk=claim.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )


def test_review_queue_lists_claims_in_review_oldest_first_with_their_count(client):
    login(client)
    newer = make_claim("The newer claim waits.", status=Claim.Status.IN_REVIEW)
    older = make_claim("The older claim waits.", status=Claim.Status.IN_REVIEW)
    _age(older, 3)
    _age(newer, 1)
    make_claim("A draft is not in the queue.", status=Claim.Status.DRAFT)
    make_claim("A published claim is not in the queue.")
    queue = _section(_home(client), "review-queue")
    assert "2</span> claims in review" in queue
    assert queue.index("The older claim waits.") < queue.index("The newer claim waits.")
    assert "A draft is not" not in queue and "A published claim" not in queue
    assert f'href="/admin/claims/claim/{older.pk}/change/"' in queue


def test_drafts_of_the_latest_ingests_are_counted_and_linked(client):
    login(client)
    source = make_source(title="Ingested <b>article</b>")
    for n in range(3):
        claim = make_claim(f"Draft number {n}.", status=Claim.Status.DRAFT)
        add_evidence(claim, make_passage(source, source.text.split("\n")[n]))
    other = make_source(title="Nothing to review")
    add_evidence(make_claim("Already published."), make_passage(other))
    drafts = _section(_home(client), "latest-drafts")
    assert "3</span> waiting" in drafts
    assert "Ingested &lt;b&gt;article&lt;/b&gt;" in drafts  # article text is escaped
    assert f'href="/admin/claims/claim/?source={source.pk}&amp;status__exact=draft"' in drafts
    assert "3 drafts" in drafts
    assert "Nothing to review" not in drafts
    listed = client.get(f"/admin/claims/claim/?source={source.pk}&status__exact=draft")
    assert listed.status_code == 200
    assert len(listed.context["cl"].result_list) == 3


def test_home_links_to_ingest_and_the_exports(client):
    login(client)
    links = _section(_home(client), "shortcuts")
    assert 'href="/admin/claims/source/ingest/"' in links
    assert 'href="/claims/export.csv"' in links
    assert 'href="/claims/export.jsonl"' in links
    assert 'href="/admin/claims/claim/"' in links


def test_models_are_listed_in_working_order_without_a_taggit_heading(client):
    login(client, superuser=True)
    html = _home(client)
    content = html[html.index('id="content-main"') :]
    names = re.findall(r'<th scope="row"[^>]*>\s*<a href="[^"]*">([^<]+)</a>', content)
    knowledge_base = names[: names.index("Tags") + 1]
    assert knowledge_base[:4] == ["Sources", "Claims", "Evidence", "Actors"]
    assert knowledge_base.index("Events") < knowledge_base.index("Passages")
    assert "Taggit" not in content
    assert content.index("Claims knowledge base") < content.index("Authentication and")


def test_a_tags_app_page_still_lists_tags(client):
    login(client, superuser=True)
    response = client.get("/admin/taggit/")
    assert response.status_code == 200
    assert "Tags" in response.content.decode()


def test_home_runs_a_constant_number_of_queries(client, django_assert_num_queries):
    login(client)
    source = make_source()
    claim = make_claim("One in review.", status=Claim.Status.IN_REVIEW)
    add_evidence(make_claim("One draft.", status=Claim.Status.DRAFT), make_passage(source))
    client.get("/admin/")
    with django_assert_num_queries(_count_queries(client)) as few:
        client.get("/admin/")
    for n in range(15):
        s = make_source()
        add_evidence(make_claim(f"Draft {n}.", status=Claim.Status.DRAFT), make_passage(s))
        make_claim(f"Review {n}.", status=Claim.Status.IN_REVIEW)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/admin/")
    assert claim


def _count_queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get("/admin/")
    return len(ctx.captured_queries)


def test_home_lists_claims_whose_evidence_changed_newest_first_once_each(client):
    user = login(client)
    from claims.models import Evidence

    quiet = make_claim("Quiet claim.", status=Claim.Status.DRAFT)
    add_evidence(quiet, make_passage())
    busy = make_claim("Busy <claim>.", status=Claim.Status.IN_REVIEW)
    first = add_evidence(busy, make_passage())
    add_evidence(busy, make_passage())
    latest = make_claim("Latest claim.", status=Claim.Status.PUBLISHED)
    gone = add_evidence(latest, make_passage())
    Evidence.history.filter(id=gone.pk).update(history_user=user)
    first.note = "checked"
    first.save()
    section = _section(_home(client), "evidence-changes")
    rows = re.findall(r"<tr>.*?</tr>", section[section.index("<tbody>") :], re.S)
    assert len(rows) == 3  # one row per claim
    assert "Busy &lt;claim&gt;." in rows[0] and "evidence changed" in rows[0]
    assert "Latest claim." in rows[1] and user.username in rows[1]
    assert "Quiet claim." in rows[2] and "evidence added" in rows[2]


def test_home_evidence_changes_leave_out_deleted_claims(client):
    login(client)
    claim = make_claim("Soon deleted.", status=Claim.Status.DRAFT)
    add_evidence(claim, make_passage())
    claim.delete()
    assert "Soon deleted." not in _section(_home(client), "evidence-changes")
