"""Sources: the article with its quoted passages highlighted, and "new claim from here"."""

from django.contrib import admin
from django.urls import reverse
from django.utils.http import urlencode
from simple_history.admin import SimpleHistoryAdmin

from claims.admin.common import EstimatedCountPaginator
from claims.highlight import Block, Span, render_article
from claims.models import Evidence, Passage, Source
from claims.text import line_spans


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ("title", "publisher", "published_on", "origin", "created_at")
    list_filter = ("publisher",)
    paginator = EstimatedCountPaginator
    show_facets = admin.ShowFacets.NEVER  # counts per filter choice would scan the table
    show_full_result_count = False
    search_fields = ("title",)
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("content_hash", "created_at", "updated_at")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name.endswith("changelist"):
            queryset = queryset.defer("text")
        return queryset

    def get_fields(self, request, obj=None):
        fields = ["title", "slug", "url", "publisher", "published_on", "origin"]
        if obj is None:
            return [*fields, "text"]  # the text is shown highlighted below, and never changes
        return [*fields, "content_hash", "created_at", "updated_at"]

    def has_delete_permission(self, request, obj=None):
        if obj is not None and Evidence.objects.filter(passage__source=obj).exists():
            return False  # a source that backs claims stays; withdraw the claims instead
        return super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        source = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if source is not None:
            extra.update(article_context(source))
        return super().change_view(request, object_id, form_url, extra)


def article_context(source):
    """The article as highlighted HTML blocks, each with a "new claim" link (a fixed number of
    queries: blocks, evidence)."""
    text = source.text
    add_url = reverse("admin:claims_claim_add")
    passages = list(
        Passage.objects.filter(
            source=source, kind__in=[Passage.Kind.HEADING, Passage.Kind.PARAGRAPH]
        ).only("pk", "kind", "start", "end", "repeat_of_id")
    )
    if passages:
        blocks = [Block(p.pk, p.kind, p.start, p.end, p.repeat_of_id) for p in passages]
    else:  # typed in by hand: its lines are its paragraphs
        blocks = [Block(-i, "paragraph", a, b) for i, (a, b) in enumerate(line_spans(text), 1)]
    spans = {}
    evidence = (
        Evidence.objects.filter(passage__source=source)
        .select_related("claim", "passage")
        .order_by("passage__start", "claim_id")
    )
    for ev in evidence:
        span = spans.setdefault(
            ev.passage_id, Span(ev.passage_id, ev.passage.start, ev.passage.end)
        )
        label = f"{ev.get_stance_display()}: {ev.claim} ({ev.claim.get_status_display()})"
        span.links.append((reverse("admin:claims_claim_change", args=[ev.claim_id]), label))
    rendered = render_article(text, blocks, sorted(spans.values(), key=lambda s: s.start))
    article = [
        {
            "block": block,
            "html": html,
            "new_claim_url": f"{add_url}?{urlencode({'passage': block.pk})}"
            if block.pk > 0
            else "",
        }
        for block, html, _ in rendered
    ]
    quoted = [
        {
            "span": span,
            "text": text[span.start : span.end],
            "links": span.links,
            "new_claim_url": f"{add_url}?{urlencode({'passage': span.pk})}",
        }
        for span in sorted(spans.values(), key=lambda s: s.start)
    ]
    return {"article": article, "quoted": quoted, "claim_add_url": add_url}
