import pytest
from django.urls import reverse, set_script_prefix

from claims.models import slug_url

NAMES = [f"claims:{page}_detail" for page in ("claim", "actor", "event", "source")]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("slug", ["kim-jong-un", "north_korea-2", "x"])
def test_slug_url_is_the_url_reverse_gives(name, slug):
    assert slug_url(name, slug) == reverse(name, args=[slug])


def test_slug_url_follows_the_script_prefix_of_a_site_served_below_the_root():
    set_script_prefix("/kb/")
    try:
        assert slug_url("claims:actor_detail", "russia") == "/kb/actors/russia/"
        assert slug_url("claims:actor_detail", "russia") == reverse(
            "claims:actor_detail", args=["russia"]
        )
    finally:
        set_script_prefix("/")
    assert slug_url("claims:actor_detail", "russia") == "/actors/russia/"


@pytest.mark.parametrize(
    "text",
    [
        "Kim Jong Un’s 2024 visit to Pyongyang — “historic”, said Putin.",
        "Ceauşescu, Đoković & Müller: über-naïve café",
        "北朝鮮 and Россия refute claims",
        "  --Already__a-slug--  ",
        "emoji 🚀 rockets\tand\ttabs\nand newlines",
        "",
        '<script>alert(1)</script> =HYPERLINK("x")',
    ],
)
def test_our_slugify_makes_the_slugs_django_makes(text):
    from django.utils.text import slugify as django_slugify

    from claims.text import slugify

    assert slugify(text) == django_slugify(text)
