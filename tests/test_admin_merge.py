"""Merging duplicate actors from the admin: everything moves, names become aliases, refusals."""

import pytest

from claims.models import Actor, ActorAlias, Claim, EventParticipant
from tests.admin_forms import login
from tests.factories import add_evidence, make_actor, make_claim, make_event, make_passage

pytestmark = pytest.mark.django_db

LIST = "/admin/claims/actor/"


def _merge(client, actors, keep=None, **extra):
    data = {"action": "merge", "_selected_action": [a.pk for a in actors], "index": 0}
    if keep is not None:
        data.update({"confirm": "yes", "keep": keep.pk})
    data.update(extra)
    return client.post(LIST, data, follow=True)


def test_merge_moves_claims_evidence_events_and_aliases(client):
    user = login(client, groups=("Analyst",))
    keep = make_actor("Kim Jong Un")
    dup = make_actor("Kim Jong-il the younger")
    dup.aliases.create(name="KJU")
    member = make_actor("Spokesman", affiliation=dup)
    said = make_claim("He said it.", claimant=dup)
    about = make_claim("About him.")
    about.subjects.add(dup, keep)
    disputed = add_evidence(make_claim(), make_passage(), stance="disputes", actors=[dup])
    event = make_event("Summit")
    EventParticipant.objects.create(event=event, actor=dup, role="host")
    untouched = make_claim("Not about them.", claimant=member)
    before = untouched.updated_at

    page = _merge(client, [keep, dup])
    assert "Merge actors" in page.content.decode()  # the confirmation page first
    assert Actor.objects.filter(pk=dup.pk).exists()

    response = _merge(client, [keep, dup], keep=keep)
    assert "Merged Kim Jong-il the younger into “Kim Jong Un”" in response.content.decode()
    assert not Actor.objects.filter(pk=dup.pk).exists()
    assert Claim.objects.get(pk=said.pk).claimant == keep
    assert list(Claim.objects.get(pk=about.pk).subjects.all()) == [keep]
    assert list(disputed.actors.all()) == [keep]
    assert EventParticipant.objects.get(event=event).actor == keep
    assert Actor.objects.get(pk=member.pk).affiliation == keep
    names = set(keep.aliases.values_list("name", flat=True))
    assert {"Kim Jong Un", "Kim Jong-il the younger", "KJU"} <= names
    assert Actor.resolve("kim jong il the younger") == keep
    assert Claim.objects.get(pk=untouched.pk).updated_at == before
    record = keep.history.order_by("-history_date").first()
    assert record.history_user == user and "merged" in record.history_change_reason
    assert "Kim Jong-il the younger" in record.history_change_reason
    assert Actor.history.filter(id=dup.pk, history_type="-").exists()
    assert Claim.history.filter(id=said.pk, claimant_id=keep.pk).exists()


def test_merging_a_single_actor_into_itself_is_refused(client):
    login(client, groups=("Analyst",))
    actor = make_actor("Alone")
    body = _merge(client, [actor]).content.decode()
    assert "cannot be merged into itself" in body
    assert Actor.objects.filter(pk=actor.pk).exists()


def test_merge_across_kinds_needs_confirmation(client):
    login(client, groups=("Analyst",))
    state = make_actor("Georgia", kind=Actor.Kind.STATE)
    person = make_actor("Georgia Person", kind=Actor.Kind.PERSON)
    body = _merge(client, [state, person], keep=state).content.decode()
    assert "different kinds" in body and "confirm that merging across kinds" in body
    assert Actor.objects.filter(pk=person.pk).exists()
    _merge(client, [state, person], keep=state, across_kinds="on")
    assert not Actor.objects.filter(pk=person.pk).exists()
    assert ActorAlias.objects.get(name="Georgia Person").actor == state


def test_merge_keeps_one_link_where_both_had_it(client):
    login(client, groups=("Analyst",))
    keep, dup = make_actor("A One"), make_actor("A Two")
    event = make_event()
    EventParticipant.objects.create(event=event, actor=keep, role="guest")
    EventParticipant.objects.create(event=event, actor=dup, role="guest")
    claim = make_claim()
    claim.subjects.add(keep, dup)
    _merge(client, [keep, dup], keep=keep)
    assert EventParticipant.objects.filter(event=event).count() == 1
    assert list(claim.subjects.all()) == [keep]
