"""The admin login pauses a user name from an address after repeated failures, and says so."""

import pytest
from django.contrib.auth.models import User

PASSWORD = "correct horse battery staple"
LOCKED = b"Too many failed login attempts"


@pytest.fixture
def staff(db):
    return User.objects.create_user("ana", password=PASSWORD, is_staff=True)


def attempt(client, username, password, address="203.0.113.5"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def test_five_failures_lock_the_user_name_even_for_the_right_password(client, staff, settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    for _ in range(5):
        response = attempt(client, "ana", "wrong")
        assert response.status_code == 200 and LOCKED not in response.content
    response = attempt(client, "ana", PASSWORD)
    assert response.status_code == 200
    assert LOCKED in response.content
    assert b"paused for 15 minutes" in response.content
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_address_and_user_name(client, staff, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        attempt(client, "ana", "wrong", address="203.0.113.5")
    assert LOCKED in attempt(client, "ANA", "wrong", address="203.0.113.5").content
    # Another address still gets in: a stranger cannot lock an analyst out from elsewhere.
    response = attempt(client, "ana", PASSWORD, address="198.51.100.7")
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_a_successful_login_clears_earlier_failures(client, staff, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    attempt(client, "ana", "wrong")
    attempt(client, "ana", "wrong")
    assert attempt(client, "ana", PASSWORD).status_code == 302
    client.logout()
    attempt(client, "ana", "wrong")
    attempt(client, "ana", "wrong")
    assert attempt(client, "ana", PASSWORD).status_code == 302


def test_one_address_spraying_many_user_names_is_stopped(client, staff, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    for n in range(20):  # 10 × the per-name limit
        attempt(client, f"user{n}", "wrong")
    assert LOCKED in attempt(client, "ana", PASSWORD).content


def test_behind_a_trusted_proxy_the_forwarded_address_counts(client, staff, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    settings.TRUST_X_FORWARDED_FOR = True
    for _ in range(2):
        client.post(
            "/admin/login/",
            {"username": "ana", "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="spoofed, 203.0.113.9",
        )
    locked = client.post(
        "/admin/login/",
        {"username": "ana", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert LOCKED in locked.content
    other = client.post(
        "/admin/login/",
        {"username": "ana", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.10",
    )
    assert other.status_code == 302
