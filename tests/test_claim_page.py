import json
import re

import pytest

from claims.models import Claim, Evidence
from claims.sources import store_source
from tests.factories import add_evidence, make_claim
from tests.reader_world import quote

pytestmark = pytest.mark.django_db


def page(client, claim):
    response = client.get(f"/claims/{claim.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def test_claim_page_shows_statement_claimant_subjects_event_kind_and_tags(client, world):
    html = page(client, world.claim)
    assert "<h1>Weapons were transferred between Russia and North Korea.</h1>" in html
    assert f'href="/actors/{world.claimant.slug}/">Officials</a>' in html
    assert f'href="/actors/{world.subject.slug}/">North Korea</a>' in html
    assert "Pyongyang summit" in html and "June 2024" in html
    assert "Allegation" in html
    assert 'href="/tags/arms-transfer/">arms transfer</a>' in html
    assert "Supported by 2 sources" in html


def test_disputed_claim_names_disputers_and_shows_disputing_passage(client, world):
    html = page(client, world.claim)
    mark = re.search(r'<p class="disputed-mark".*?</p>', html, re.S).group(0)
    assert "Disputed" in mark and "North Korea" in mark and "Russia" in mark
    disputing = html[html.index("Where it is disputed") :]
    assert "<mark>deny that any weapons were transferred</mark>" in disputing
    assert f'href="/sources/{world.source_a.slug}/#p-{world.disputing.pk}"' in disputing


def test_supporting_passage_is_quoted_in_context_with_source_details(client, world):
    html = page(client, world.claim)
    # the sentence before and after, cut at sentence boundaries, the quote highlighted
    assert (
        "The leaders met on Monday. Officials said <mark>weapons were transferred in secret"
        "</mark>. The talks lasted two days." in html
    )
    assert f'href="/sources/{world.source_a.slug}/#p-{world.supporting.pk}"' in html
    assert "Summit report" in html and "Daily Paper" in html and "19 June 2024" in html
    assert "Second report" in html and "Evening Post" in html


def test_undisputed_claim_has_no_disputed_mark(client, world):
    claim = make_claim("Nobody argues with this.")
    add_evidence(claim, world.supporting)
    html = page(client, claim)
    assert "disputed-mark" not in html and "Where it is disputed" not in html


def test_claim_page_embeds_schema_org_claim_as_json_ld(client, world):
    html = page(client, world.claim)
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(raw)
    assert data["@type"] == "Claim"
    assert data["text"] == world.claim.statement
    assert data["author"]["name"] == "Officials"
    assert {a["headline"] for a in data["appearance"]} == {"Summit report", "Second report"}
    assert data["firstAppearance"]["datePublished"] == "2024-06-19"


def test_json_ld_of_a_claim_in_the_sources_own_voice(client, world):
    claim = make_claim("The talks lasted two days.")
    add_evidence(claim, world.second)  # Evening Post, no date
    add_evidence(claim, world.supporting)  # Daily Paper, 19 June 2024
    html = page(client, claim)
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(raw)
    assert data["firstAppearance"]["headline"] == "Summit report"
    assert data["author"] == {"@type": "Organization", "name": "Daily Paper"}
    assert len(data["appearance"]) == 2


def test_citation_line_names_claimant_source_and_url(client, world):
    html = page(client, world.claim)
    citation = re.search(r"<textarea[^>]*>(.*?)</textarea>", html, re.S).group(1)
    assert "Officials" in citation and "Summit report" in citation
    assert f"http://testserver/claims/{world.claim.slug}/" in citation


@pytest.mark.parametrize("status", ["draft", "in_review", "withdrawn"])
def test_unpublished_claim_is_not_found(client, world, status):
    Claim.objects.filter(pk=world.draft.pk).update(status=status)
    assert client.get(f"/claims/{world.draft.slug}/").status_code == 404
    assert client.get("/claims/no-such-claim/").status_code == 404


def test_article_script_is_escaped_everywhere(client):
    source, _ = store_source(
        "An article.\nHe said <script>alert(1)</script> loudly. Then he left.\n", title="<b>T</b>"
    )
    claim = make_claim("He said <script>alert('x')</script>.")
    add_evidence(claim, quote(source, "<script>alert(1)</script>"))
    html = page(client, claim)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;T&lt;/b&gt;" in html
    # the JSON-LD cannot be closed by the statement either
    assert "</script>." not in html


def test_claim_page_runs_a_fixed_number_of_queries(
    client, world, django_assert_num_queries, django_capture_on_commit_callbacks
):
    # the claim with its evidence; its subjects, tags and evidence actors
    with django_assert_num_queries(2):
        page(client, world.claim)
    claim = world.claim
    with django_capture_on_commit_callbacks(execute=True):  # committed: the cache turns over
        for i in range(6):
            source, _ = store_source(
                f"Report {i}.\nWeapons were moved, report {i} says.", title=f"R{i}"
            )
            add_evidence(claim, quote(source, f"report {i} says"), stance=Evidence.Stance.DISPUTES)
        claim.tags.add("one", "two", "three")
    with django_assert_num_queries(2):
        page(client, claim)


def test_passages_are_offered_as_w3c_web_annotations(client, world, django_assert_num_queries):
    with django_assert_num_queries(2):  # the claim, its evidence with passages and sources
        response = client.get(f"/claims/{world.claim.slug}/annotations.json")
    assert response.status_code == 200
    data = response.json()
    assert data["type"] == "AnnotationCollection" and data["total"] == 3
    selectors = {
        item["target"]["selector"][1]["exact"]: item["target"]["selector"][0]
        for item in data["first"]["items"]
    }
    position = selectors["deny that any weapons were transferred"]
    assert (position["start"], position["end"]) == (world.disputing.start, world.disputing.end)
    assert client.get(f"/claims/{world.draft.slug}/annotations.json").status_code == 404


def test_pages_of_two_claims_in_a_row_each_show_their_own_claim(client, world):
    # The page's queries are compiled once per process and rerun with each claim's slug and id.
    other = make_claim("A second claim with its own passage.")
    add_evidence(other, world.disputing)
    first, second = page(client, world.claim), page(client, other)
    assert "Weapons were transferred" in first and "A second claim" not in first
    assert "<h1>A second claim with its own passage.</h1>" in second
    assert "<mark>deny that any weapons were transferred</mark>" in second
    assert "Where it is disputed" not in second and "arms transfer" not in second


def _mark(claim, kind, user, when):
    from claims.models import ReviewMark

    fingerprint = f"v{ReviewMark.objects.count()}"
    mark = ReviewMark.objects.create(claim=claim, kind=kind, user=user, fingerprint=fingerprint)
    ReviewMark.objects.filter(pk=mark.pk).update(created_at=when)


def test_claim_page_says_who_reviewed_it_when_and_its_published_and_changed_dates(client, world):
    import datetime
    import json
    import re

    from django.contrib.auth.models import User

    from claims.models import Claim, ReviewMark

    utc = datetime.UTC
    ada = User.objects.create_user("ada_login", first_name="Ada", last_name="<Lovelace>")
    bob = User.objects.create_user("bob_login")
    claim = world.claim
    Claim.objects.filter(pk=claim.pk).update(
        published_at=datetime.datetime(2026, 3, 2, 9, 0, tzinfo=utc)
    )
    _mark(claim, ReviewMark.Kind.WROTE, bob, datetime.datetime(2026, 3, 1, tzinfo=utc))
    _mark(claim, ReviewMark.Kind.WROTE, bob, datetime.datetime(2026, 4, 5, tzinfo=utc))
    _mark(claim, ReviewMark.Kind.APPROVED, bob, datetime.datetime(2026, 3, 2, tzinfo=utc))
    _mark(claim, ReviewMark.Kind.APPROVED, ada, datetime.datetime(2026, 4, 6, tzinfo=utc))
    html = client.get(claim.get_absolute_url()).content.decode()
    reviewed = re.search(r'<dd class="reviewed">(.+?)</dd>', html).group(1)
    assert "by Ada &lt;Lovelace&gt;" in reviewed and "6 April 2026" in reviewed
    assert '<dt>First published</dt><dd><time datetime="2026-03-02T09:00:00+00:00">' in html
    assert "<dt>Last changed</dt>" in html and "5 April 2026" in html
    assert "ada_login" not in html and "bob_login" not in html  # no login names in public
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.+?)</script>', html, re.S).group(1)
    )
    assert "dateCreated" not in data
    assert data["datePublished"].startswith("2026-03-02T09:00")
    assert data["dateModified"].startswith("2026-04-05")


def test_a_claim_without_review_marks_says_so_and_has_no_modified_date(client, world):
    import json
    import re

    html = client.get(world.claim.get_absolute_url()).content.decode()
    assert "No review recorded" in html
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.+?)</script>', html, re.S).group(1)
    )
    assert "dateCreated" not in data and "dateModified" not in data
