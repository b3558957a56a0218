"""The admin's "Ingest an article" page: upload a file or paste text, through the same pipeline.

A plain staff view (mounted in kb/urls.py before the admin's own URLs) so it does not depend on
how claims/admin.py is arranged. Needs the "add source" permission.

The page ingests inside the request, which gunicorn ends at 30 s, so it takes articles up to
ADMIN_INGEST_MAX_BYTES (512 KB, a few seconds; 5 MB took 28 to 95 s on the 2-core test
machine: docs/ingest.md); `manage.py ingest` takes the rest, up to INGEST_MAX_BYTES.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode

from claims.ingest.reading import article_from_bytes, check_size, max_bytes, size_text
from claims.ingest.writer import ingest_article
from claims.management.commands.ingest import FAILURES, failure_reason
from claims.models import Source
from claims.weblinks import WebURLFormField


def page_limit():
    """The largest article this page takes, in bytes: never more than the command does."""
    return min(settings.ADMIN_INGEST_MAX_BYTES, max_bytes())


def check_page_size(size):
    """IngestError over the page's limit, pointing a bigger file to the command."""
    limit = page_limit()
    whose = (
        f" of this page; python manage.py ingest takes files up to {size_text(max_bytes())}"
        if limit < max_bytes()
        else ""
    )
    check_size(size, limit, whose)


class IngestForm(forms.Form):
    file = forms.FileField(required=False)
    text = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 12}), label="Or paste the text"
    )
    title = forms.CharField(
        required=False, max_length=300, help_text="Default: the front matter or first line."
    )
    url = WebURLFormField(required=False, max_length=500)
    publisher = forms.CharField(required=False, max_length=200)
    published = forms.DateField(required=False, help_text="YYYY-MM-DD")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = f"Up to {size_text(page_limit())}"
        if page_limit() < max_bytes():
            limit += (
                f" here; bigger files, up to {size_text(max_bytes())}: python manage.py ingest FILE"
            )
        self.fields[
            "file"
        ].help_text = f"A .txt, .md or .html article (UTF-8; Windows-1252 is read too). {limit}."

    def clean(self):
        data = super().clean()
        if bool(data.get("file")) == bool((data.get("text") or "").strip()):
            raise ValidationError("Upload a file or paste the text (one of the two).")
        return data

    def overrides(self):
        data = self.cleaned_data
        published = data.get("published")
        return {
            "title": data.get("title", ""),
            "url": data.get("url", ""),
            "publisher": data.get("publisher", ""),
            "published": published.isoformat() if published else "",
        }

    def article(self):
        """The reading.Article, or IngestError with the reason."""
        upload = self.cleaned_data.get("file")
        if upload:
            check_page_size(upload.size)  # before reading: a huge upload is never loaded
            data, name = upload.read(), upload.name
        else:
            data, name = self.cleaned_data["text"].encode("utf-8"), "pasted.txt"
            check_page_size(len(data))
        return article_from_bytes(data, name=name, overrides=self.overrides())


def drafts_url(claim_ids):
    """The claims list showing exactly these claims (the admin filters `id__in=1,2,3`)."""
    ids = ",".join(str(pk) for pk in sorted(claim_ids))
    return f"{reverse('admin:claims_claim_changelist')}?{urlencode({'id__in': ids})}"


def ingest_message(result):
    """The summary of one ingest, linking to exactly the drafts it created (escaped: the title
    comes from the article)."""
    notes = "".join(f" Warning: {w}." for w in result.warnings)
    text = f"“{result.source}”: {result.summary()}.{notes}"
    if not result.claim_ids:
        return text
    count = len(result.claim_ids)
    return format_html(
        '{} <a href="{}">Review the {} new draft{}</a>.',
        text,
        drafts_url(result.claim_ids),
        count,
        "" if count == 1 else "s",
    )


@staff_member_required
def ingest_view(request):
    if not request.user.has_perm("claims.add_source"):
        raise PermissionDenied
    form = IngestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = ingest_article(form.article(), author=request.user)
        except FAILURES as exc:
            # Nothing was stored; the form keeps what the analyst pasted so they can try again.
            form.add_error(None, f"Not ingested: {failure_reason(exc).rstrip('.')}.")
        else:
            level = messages.SUCCESS if result.created else messages.WARNING
            messages.add_message(request, level, ingest_message(result))
            return redirect(reverse("admin:claims_source_change", args=[result.source.pk]))
    context = {
        **admin.site.each_context(request),
        "title": "Ingest an article",
        "form": form,
        "opts": Source._meta,
    }
    return render(request, "admin/claims/source/ingest.html", context)
