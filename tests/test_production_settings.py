"""Production mode boots only when configured, and `check --deploy` is clean under HTTPS."""

from tests.subprocesses import PRODUCTION_ENV, env, manage


def test_check_deploy_reports_nothing_with_production_https_settings():
    done = manage(
        env(**PRODUCTION_ENV, SECURE_HTTPS="1"), "check", "--deploy", "--fail-level", "WARNING"
    )
    assert "System check identified no issues" in done.stdout, done.stdout + done.stderr


def test_check_deploy_without_https_warns_about_it():
    # Proves the check above can fail: the HTTPS settings are what makes it clean.
    done = manage(env(**PRODUCTION_ENV, SECURE_HTTPS="0"), "check", "--deploy", check=False)
    assert "security.W004" in done.stderr + done.stdout  # no HSTS


def test_production_refuses_to_start_without_secret_key():
    done = manage(env(**{**PRODUCTION_ENV, "SECRET_KEY": None}), "check", check=False)
    assert done.returncode != 0
    assert "SECRET_KEY must be set in the environment when DEBUG is off" in done.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    done = manage(env(**{**PRODUCTION_ENV, "ALLOWED_HOSTS": ""}), "check", check=False)
    assert done.returncode != 0
    assert "ALLOWED_HOSTS must be set" in done.stderr


def test_a_malformed_boolean_setting_is_a_clear_start_up_error():
    done = manage(env(**PRODUCTION_ENV, SECURE_HTTPS="maybe"), "check", check=False)
    assert done.returncode != 0
    assert "SECURE_HTTPS must be a boolean" in done.stderr


def test_https_mode_marks_cookies_secure_and_redirects_to_https():
    code = (
        "from django.conf import settings as s\n"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SESSION_COOKIE_HTTPONLY, s.SECURE_HSTS_SECONDS >= 31536000)\n"
    )
    from tests.subprocesses import python

    done = python(env(**PRODUCTION_ENV, SECURE_HTTPS="1"), code)
    assert done.stdout.split() == ["True"] * 5, done.stderr
