"""The admin's "Ingest an article" page: upload a file or paste text, through the same pipeline.

A plain staff view (mounted in kb/urls.py before the admin's own URLs) so it does not depend on
how claims/admin.py is arranged. Needs the "add source" permission.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from claims.ingest.reading import article_from_bytes, check_size
from claims.ingest.writer import ingest_article
from claims.management.commands.ingest import FAILURES, failure_reason
from claims.models import Source
from claims.weblinks import WebURLFormField


class IngestForm(forms.Form):
    file = forms.FileField(
        required=False, help_text="A .txt, .md or .html article (UTF-8; Windows-1252 is read too)."
    )
    text = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 12}), label="Or paste the text"
    )
    title = forms.CharField(
        required=False, max_length=300, help_text="Default: the front matter or first line."
    )
    url = WebURLFormField(required=False, max_length=500)
    publisher = forms.CharField(required=False, max_length=200)
    published = forms.DateField(required=False, help_text="YYYY-MM-DD")

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
            check_size(upload.size)  # before reading: a huge upload is never loaded
            data, name = upload.read(), upload.name
        else:
            data, name = self.cleaned_data["text"].encode("utf-8"), "pasted.txt"
        return article_from_bytes(data, name=name, overrides=self.overrides())


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
            notes = "".join(f" Warning: {w}." for w in result.warnings)
            messages.add_message(request, level, f"“{result.source}”: {result.summary()}.{notes}")
            return redirect(reverse("admin:claims_source_change", args=[result.source.pk]))
    context = {
        **admin.site.each_context(request),
        "title": "Ingest an article",
        "form": form,
        "opts": Source._meta,
    }
    return render(request, "admin/claims/source/ingest.html", context)
