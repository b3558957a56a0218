"""One URL-scheme check, http and https only, for every route that stores a source's URL (the
admin's source form, its ingest page, the `ingest` command, `import_kb`), and no link from a
stored URL of any other scheme on the reader pages (issue 15, finding 9)."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client

from claims.models import Source
from claims.weblinks import is_web_url, validate_web_url
from tests.forms import form_data

pytestmark = pytest.mark.django_db

REFUSED = [
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://example.org/article.txt",
]
ACCEPTED = ["https://example.org/story", "http://news.example.com/a?b=c#d", "HTTPS://EXAMPLE.ORG"]


@pytest.fixture
def boss(django_user_model):
    user = django_user_model.objects.create_superuser("boss", "boss@example.com", "x" * 16)
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("url", ACCEPTED)
def test_web_addresses_pass_the_check(url):
    validate_web_url(url)
    assert is_web_url(url)


@pytest.mark.parametrize("url", [*REFUSED, "", "not a url", "https://", " https://example.org"])
def test_other_addresses_fail_the_check(url):
    assert not is_web_url(url)


@pytest.mark.parametrize("url", REFUSED)
def test_the_admin_source_form_refuses_other_schemes(boss, world, url):
    page = f"/admin/claims/source/{world.source_a.pk}/change/"
    data = form_data(boss.get(page).content.decode(), "source_form")
    data["url"] = url
    response = boss.post(page, data)
    assert response.status_code == 200
    assert "Enter a valid URL starting with http:// or https://." in response.content.decode()
    world.source_a.refresh_from_db()
    assert world.source_a.url == ""


@pytest.mark.parametrize("url", REFUSED)
def test_the_admin_ingest_page_refuses_other_schemes(boss, url):
    text = "Talks\nPresident Joe Biden said the talks were useful."
    response = boss.post("/admin/claims/source/ingest/", {"text": text, "url": url})
    assert response.status_code == 200
    assert "Enter a valid URL starting with http:// or https://." in response.content.decode()
    assert not Source.objects.exists()


@pytest.mark.parametrize("url", REFUSED)
def test_the_ingest_command_refuses_other_schemes(tmp_path, url):
    front_matter = tmp_path / "front-matter.md"
    front_matter.write_text(f"---\nurl: {url}\n---\nTalks\nBiden said the talks were useful.\n")
    option = tmp_path / "option.md"
    option.write_text("Talks\nBiden said the talks went well.\n")
    for path, options in ((front_matter, {}), (option, {"url": url})):
        err = StringIO()
        with pytest.raises(CommandError):
            call_command("ingest", str(path), stdout=StringIO(), stderr=err, **options)
        assert "Enter a valid URL starting with http:// or https://." in err.getvalue()
    assert not Source.objects.exists()


@pytest.mark.parametrize("url", REFUSED)
def test_reader_pages_never_link_a_stored_address_of_another_scheme(client, world, url):
    Source.objects.filter(pk=world.source_a.pk).update(url=url)  # stored before the check
    source_page = client.get(f"/sources/{world.source_a.slug}/").content.decode()
    assert "Original article" not in source_page
    claim_page = client.get(f"/claims/{world.claim.slug}/").content.decode()  # its JSON-LD
    annotations = client.get(f"/claims/{world.claim.slug}/annotations.json").content.decode()
    for text in (source_page, claim_page, annotations):
        assert url[:12] not in text


def test_reader_pages_link_a_web_address(client, world):
    Source.objects.filter(pk=world.source_a.pk).update(url="https://example.org/story")
    source_page = client.get(f"/sources/{world.source_a.slug}/").content.decode()
    assert '<a href="https://example.org/story" rel="noopener">Original article</a>' in source_page
    annotations = client.get(f"/claims/{world.claim.slug}/annotations.json").json()
    targets = {item["target"]["source"] for item in annotations["first"]["items"]}
    assert "https://example.org/story" in targets


def test_validation_error_names_the_schemes():
    with pytest.raises(ValidationError, match="http:// or https://"):
        validate_web_url("javascript:alert(1)")
