import pytest
from django.core.exceptions import ValidationError

from claims.models import Actor, ActorAlias
from claims.text import normalize_alias
from tests.factories import make_actor

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kim Jong Un", "Kim Jong-un"),
        ("Kim Jong Un", "kim  jong UN"),
        ("U.S.", "US"),
        ("U. S.", "us"),
        ("Kim Jong‑un", "Kim Jong Un"),
    ],
)
def test_alias_forms_normalize_equal(a, b):
    assert normalize_alias(a) == normalize_alias(b)


def test_different_names_stay_different():
    assert normalize_alias("Kim Jong Il") != normalize_alias("Kim Jong Un")
    assert normalize_alias("US") != normalize_alias("USSR")


def test_actor_is_found_by_hyphenated_alias():
    kim = make_actor("Kim Jong Un")
    assert Actor.resolve("Kim Jong-un") == kim
    assert Actor.resolve("KIM JONG UN") == kim


def test_actor_is_found_through_its_aliases():
    usa = make_actor("United States", kind=Actor.Kind.STATE)
    ActorAlias.objects.create(actor=usa, name="U.S.")
    ActorAlias.objects.create(actor=usa, name="Washington")
    assert Actor.resolve("US") == usa
    assert Actor.resolve("washington") == usa
    assert Actor.resolve("Moscow") is None


def test_alias_already_naming_another_actor_is_refused():
    usa = make_actor("United States", kind=Actor.Kind.STATE)
    ActorAlias.objects.create(actor=usa, name="US")
    other = make_actor("Union of States")
    alias = ActorAlias(actor=other, name="U.S.")
    with pytest.raises(ValidationError, match="already names United States"):
        alias.full_clean()


def test_new_actor_with_a_known_name_is_refused_with_advice_to_merge():
    make_actor("Kim Jong Un")
    with pytest.raises(ValidationError, match="merge them instead"):
        Actor(name="Kim Jong-un", kind=Actor.Kind.PERSON, slug="kim-2").full_clean()


def test_affiliation_chain():
    usa = make_actor("United States", kind=Actor.Kind.STATE)
    nsc = make_actor("National Security Council", kind=Actor.Kind.GOVERNMENT_BODY, affiliation=usa)
    kirby = make_actor("John Kirby", affiliation=nsc)
    assert kirby.affiliation.affiliation == usa
    assert kirby.get_absolute_url() == "/actors/john-kirby/"


def test_actor_cannot_be_affiliated_to_itself():
    actor = make_actor("Loop")
    actor.affiliation = actor
    with pytest.raises(ValidationError, match="affiliated to itself"):
        actor.full_clean()
