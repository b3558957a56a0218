from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from claims.reader import claim_rows_html
from claims.weblinks import is_web_url

register = template.Library()

# As django.utils.html.json_script: these cannot end the <script> element or open a comment.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def jsonld(dumped):
    """A JSON string as a safe `<script type="application/ld+json">` element."""
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(dumped.translate(_SCRIPT_ESCAPES)),  # nothing left that can close the element
    )


@register.filter
def claim_rows(rows, terms=()):
    """`ClaimRow`s as list items, searched `terms` marked (claims.reader.claim_rows_html)."""
    return claim_rows_html(rows, terms or ())


@register.filter
def web_url(value):
    """`value` when it is an http(s) URL fit for a link (claims/weblinks.py), else ""."""
    return value if is_web_url(value) else ""
