"""Logging filters named in settings.LOGGING (kept free of imports: logging is configured
before the apps load)."""


def not_the_outage_page(record):
    """For `django.request`: drop the line Django logs for each 503 page. The database breaker
    (kb/middleware.py) logs the outage itself, once per 5 s, not once per request."""
    return getattr(record, "status_code", None) != 503
