"""Names of records in no published claim stay off the public pages (issue 15, finding 8):
the claim list's filter labels and an actor page's affiliation follow claims/public.py."""

import pytest

from claims.models import Actor, Claim, Evidence
from tests.factories import (
    add_evidence,
    make_actor,
    make_claim,
    make_event,
    make_passage,
    make_source,
)

pytestmark = pytest.mark.django_db

SECRET = "Codename Nightjar"


@pytest.fixture
def hidden(world):
    """An actor, event, source and tag that only a draft claim uses, all named SECRET."""
    actor = make_actor(SECRET, kind=Actor.Kind.PERSON, slug="hidden-actor")
    source = make_source(title=SECRET, slug="hidden-source")
    draft = make_claim(
        "A draft nobody may read yet.",
        status=Claim.Status.DRAFT,
        claimant=actor,
        event=make_event(SECRET, slug="hidden-event"),
    )
    draft.subjects.set([actor])
    draft.tags.add(SECRET)
    add_evidence(draft, make_passage(source), actors=[actor])
    disputing = make_passage(source, "Critics deny that any deal was signed.")
    add_evidence(draft, disputing, stance=Evidence.Stance.DISPUTES, actors=[actor])
    return {
        "claimant": "hidden-actor",
        "subject": "hidden-actor",
        "asserted_by": "hidden-actor",
        "disputed_by": "hidden-actor",
        "event": "hidden-event",
        "source": "hidden-source",
        "tag": draft.tags.get().slug,
    }


PUBLIC = {
    "claimant": ("officials", "Officials"),
    "subject": ("north-korea", "North Korea"),
    "asserted_by": ("officials", "Officials"),
    "disputed_by": ("russia", "Russia"),
    "event": ("pyongyang-summit", "Pyongyang summit"),
    "source": ("summit-report", "Summit report"),
    "tag": ("arms-transfer", "arms transfer"),
}


@pytest.mark.parametrize("name", list(PUBLIC))
def test_a_filter_on_a_non_public_record_does_not_print_its_name(client, hidden, name):
    html = client.get(f"/claims/?{name}={hidden[name]}").content.decode()
    assert SECRET not in html
    assert f"<strong>{hidden[name]}</strong>" in html  # the value asked for, as given


@pytest.mark.parametrize("name", list(PUBLIC))
def test_a_filter_on_a_public_record_names_it(client, hidden, name):
    slug, shown = PUBLIC[name]
    assert f"<strong>{shown}</strong>" in client.get(f"/claims/?{name}={slug}").content.decode()


def test_filter_labels_cost_the_same_queries_public_or_not(
    client, hidden, django_assert_num_queries
):
    # the count (no claim is a prediction), one query per named filter, public or not, and the
    # facets' two (their claim ids, their counts)
    all_public = "&".join(f"{name}={slug}" for name, (slug, _) in PUBLIC.items())
    none_public = "&".join(f"{name}={slug}" for name, slug in hidden.items())
    all_public, none_public = f"{all_public}&kind=prediction", f"{none_public}&kind=prediction"
    with django_assert_num_queries(1 + len(PUBLIC) + 2):
        client.get(f"/claims/?{all_public}")
    with django_assert_num_queries(1 + len(PUBLIC) + 2):
        html = client.get(f"/claims/?{none_public}").content.decode()
    assert SECRET not in html


def test_an_actor_page_names_a_public_affiliation_only(
    client, world, django_capture_on_commit_callbacks, django_assert_num_queries
):
    officials = world.claimant
    url = f"/actors/{officials.slug}/"
    ministry = make_actor(SECRET, kind=Actor.Kind.GOVERNMENT_BODY)
    with django_capture_on_commit_callbacks(execute=True):
        officials.affiliation = ministry
        officials.save()
    with django_assert_num_queries(12):  # as before: the affiliation comes with the actor
        html = client.get(url).content.decode()
    assert SECRET not in html
    with django_capture_on_commit_callbacks(execute=True):
        make_claim("The ministry spoke.", claimant=ministry)  # published: the ministry is public
    link = f'part of <a href="{ministry.get_absolute_url()}">{SECRET}</a>'
    assert link in client.get(url).content.decode()
