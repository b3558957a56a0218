"""Web addresses: the one check every stored URL passes (http and https only), shared by the
model field, the admin's forms, `ingest` and `import_kb`, and the one test the reader pages make
before turning a stored URL into a link (rows stored before the check may hold anything).

Django's own URLValidator also accepts ftp and ftps; a link to either is no use to a reader, and
a scheme such as `javascript:` must never reach an `href`.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models

SCHEMES = ("http", "https")
MESSAGE = "Enter a valid URL starting with http:// or https://."

validate_web_url = URLValidator(schemes=SCHEMES, message=MESSAGE)


def is_web_url(value):
    """Whether `value` is an http(s) URL that passes the check (safe as a link target)."""
    try:
        validate_web_url(value)
    except ValidationError:
        return False
    return True


class WebURLFormField(forms.URLField):
    """A form's URL field with the web check instead of Django's (one message, not two)."""

    default_validators = [validate_web_url]
    default_error_messages = {"invalid": MESSAGE}

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class WebURLField(models.URLField):
    """A model's URL field: validated (full_clean, ModelForms) by the web check."""

    default_validators = [validate_web_url]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": WebURLFormField, **kwargs})
