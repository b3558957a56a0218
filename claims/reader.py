"""What the reader pages show, built from rows already fetched (no queries here unless said).

Kept out of the views so they stay thin, and reusable (the admin shows passages in context too).
"""

import json
from dataclasses import dataclass

from django.db.models import Subquery
from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from claims import filters, highlight, public, segmentation
from claims.context import Context, in_context
from claims.models import Actor, Claim, Event, Evidence, Source, slug_url
from claims.prepared import PreparedValues
from claims.weblinks import is_web_url


def source_address(source, base):
    """Where a source can be read: its own http(s) URL, else its page on this site."""
    return source.url if is_web_url(source.url) else base + source.get_absolute_url()[1:]


@dataclass
class EvidenceItem:
    stance: str
    actors: list
    source: Source
    passage_url: str
    context: Context
    note: str


def _earliest_first(item):
    published = item.source.published_on
    return (published is None, published, item.source.title, item.context.passage)


def evidence_items(evidence, actors):
    """Evidence (with passage__source selected) as items to show, the earliest published source
    first. `actors`: {evidence id: [Actor, by name]}."""
    items = [
        EvidenceItem(
            stance=e.stance,
            actors=actors.get(e.pk, []),
            source=e.passage.source,
            passage_url=f"{e.passage.source.get_absolute_url()}#p-{e.passage_id}",
            context=in_context(e.passage.source.text, e.passage.start, e.passage.end),
            note=e.note,
        )
        for e in evidence
    ]
    return sorted(items, key=_earliest_first)


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """What a list row shows of a claim: plain values, no model instance."""

    url: str
    statement: str
    kind: str
    claimant: str
    event: str
    is_disputed: bool
    disputed_by: str
    supporting_sources: int
    event_date: str = ""  # the event's date as precise as known ("June 2024")
    said_on: object = None  # the date its earliest supporting source was published
    source_title: str = ""  # that source (the first supporting one)
    source_url: str = ""


ROW_FIELDS = (
    "pk",
    "slug",
    "statement",
    "kind",
    "claimant__name",
    "event__title",
    "is_disputed",
    "disputed_by",
    "supporting_sources",
    "event__start_date",
    "event__end_date",
    "event__date_precision",
    "first_source_slug",
    "first_source_title",
    "first_source_date",
)


def _row_queryset(ids):
    first = filters.first_supporting_source()
    return (
        Claim.objects.with_dispute_state()
        .annotate(
            first_source_slug=Subquery(first.values("passage__source__slug")[:1]),
            first_source_title=Subquery(first.values("passage__source__title")[:1]),
            first_source_date=Subquery(first.values("passage__source__published_on")[:1]),
        )
        .filter(pk__in=ids)
        .order_by()
        .values_list(*ROW_FIELDS)
    )


ROWS_AT_ONCE = 25  # a list page; the other pages show 20 at most
NO_CLAIM = 0  # pads a shorter list of ids: no claim has id 0
# Prepared (claims/prepared.py): resolving the three dispute-state subqueries took longer than
# running them, and PostgreSQL took longer to plan them than to run them.
_prepared_rows = PreparedValues(
    Claim, lambda *ids: _row_queryset(ids), *range(-7_400_001, -7_400_001 - ROWS_AT_ONCE, -1)
)


def _fetch_rows(ids):
    if len(ids) > ROWS_AT_ONCE:
        return _row_queryset(ids)
    return _prepared_rows.rows_for(ids, NO_CLAIM)


def claim_rows(ids):
    """The claims with these ids as `ClaimRow`s, in the order of `ids`: one query.

    Values rather than model instances, and URLs from `slug_url`: at 25 rows a page, building
    instances and reversing every URL cost more than the query itself.
    """
    if not ids:
        return []
    kinds = dict(Claim.Kind.choices)
    rows = _fetch_rows(ids)
    found = {}
    for (
        pk,
        slug,
        statement,
        kind,
        claimant,
        event,
        disputed,
        disputed_by,
        sources,
        event_start,
        event_end,
        precision,
        source_slug,
        source_title,
        said_on,
    ) in rows:
        event_date = (
            Event(start_date=event_start, end_date=event_end, date_precision=precision).date_label
            if event_start
            else ""
        )
        found[pk] = ClaimRow(
            url=slug_url("claims:claim_detail", slug),
            statement=statement,
            kind=kinds.get(kind, kind),
            claimant=claimant or "",
            event=event or "",
            is_disputed=bool(disputed),
            disputed_by=disputed_by or "",
            supporting_sources=sources or 0,
            event_date=event_date,
            said_on=said_on,
            source_title=source_title or "",
            source_url=slug_url("claims:source_detail", source_slug) if source_slug else "",
        )
    return [found[pk] for pk in ids if pk in found]


def _sources_label(n):
    if n > 1:
        return f"Supported by {n} sources"
    return "1 source" if n == 1 else "No source"


def claim_rows_html(rows, terms=()):
    """`<li>` items for `ClaimRow`s (templates/claims/_claim_rows.html wraps them), with the
    search `terms` marked in each statement.

    Markup in Python, through `format_html`, because a template include per row cost about
    as much as the rest of the page; every value is escaped.
    """
    parts = []
    for row in rows:
        statement = highlight.mark_terms(row.statement, terms) if terms else None
        disputed = (
            format_html(
                '<strong class="badge disputed">Disputed{}</strong>',
                f" by {row.disputed_by}" if row.disputed_by else "",
            )
            if row.is_disputed
            else ""
        )
        claimant = f"Claimed by {row.claimant}" if row.claimant else "In the source's own voice"
        event = (
            format_html(
                "<span>{}{}</span>", row.event, f", {row.event_date}" if row.event_date else ""
            )
            if row.event
            else ""
        )
        said = (
            format_html(
                ', <time datetime="{}">{}</time>',
                row.said_on.isoformat(),
                format_date(row.said_on, "j M Y"),
            )
            if row.said_on
            else ""
        )
        source = (
            format_html(
                '<span class="source">In <a href="{}">{}</a>{}</span>',
                row.source_url,
                row.source_title,
                said,
            )
            if row.source_url
            else ""
        )
        parts.append(
            format_html(
                '<li class="claim-row"><a class="statement" href="{}">{}</a>'
                '<p class="meta">{}<span>{}</span><span>{}</span>{}{}<span>{}</span></p></li>',
                row.url,
                statement if statement is not None else row.statement,
                disputed,
                claimant,
                row.kind,
                event,
                source,
                _sources_label(row.supporting_sources),
            )
        )
    return mark_safe("\n".join(parts))  # every part went through format_html


def _actor_ld(actor, base):
    kind = "Person" if actor.kind == Actor.Kind.PERSON else "Organization"
    return {"@type": kind, "name": actor.name, "url": base + actor.get_absolute_url()[1:]}


def claim_jsonld(claim, subjects, supports, url, base, modified=None):
    """schema.org `Claim` for search engines: who claimed it and where it appears.

    Dates say what they mean: `datePublished` is when this site first published the claim,
    `dateModified` its latest content change by a person (omitted without one); when the claim
    was made is its appearances' `datePublished`. No `dateCreated`: the row's creation time is
    when it was loaded or typed in, which a reader would take for the claim's date."""
    appearances = []
    for item in supports:
        source = item.source
        work = {
            "@type": "NewsArticle",
            "headline": source.title,
            "url": source_address(source, base),
            "text": item.context.passage,
        }
        if source.publisher:
            work["publisher"] = {"@type": "Organization", "name": source.publisher}
        if source.published_on:
            work["datePublished"] = source.published_on.isoformat()
        appearances.append(work)
    data = {
        "@context": "https://schema.org",
        "@type": "Claim",
        "url": url,
        "text": claim.statement,
        "about": [_actor_ld(a, base) for a in subjects],
        "appearance": appearances,
    }
    if claim.published_at:
        data["datePublished"] = claim.published_at.isoformat()
    if modified:
        data["dateModified"] = modified.isoformat()
    dated = [w for w in appearances if "datePublished" in w]
    first = min(dated, key=lambda w: w["datePublished"], default=None) or next(
        iter(appearances), None
    )
    if first:
        data["firstAppearance"] = first
    if claim.claimant:
        data["author"] = _actor_ld(claim.claimant, base)
    elif first and "publisher" in first:  # the source's own voice: its publisher asserts it
        data["author"] = first["publisher"]
    return json.dumps(data, ensure_ascii=False)


def article_blocks(text, passages, evidence):
    """The article laid out in blocks with the published evidence highlighted.

    `passages`: the source's heading/paragraph rows (their ids anchor the blocks);
    `evidence`: published evidence with claim and passage selected.
    """
    block_ids = {(p.start, p.end): p.pk for p in passages}
    found = segmentation.blocks(text)
    blocks = [
        highlight.Block(
            pk=block_ids.get((b.start, b.end)),
            kind=b.kind,
            start=b.start,
            end=b.end,
            repeat_of=block_ids.get((found[b.repeat_of].start, found[b.repeat_of].end))
            if b.repeat_of is not None
            else None,
        )
        for b in found
    ]
    spans = {}
    for e in evidence:
        span = spans.setdefault(
            e.passage_id, highlight.Span(e.passage_id, e.passage.start, e.passage.end)
        )
        span.links.append(
            (e.claim.get_absolute_url(), f"{e.get_stance_display()}: {e.claim.statement}")
        )
        span.stances.add(e.stance)
    return highlight.render_article(text, blocks, list(spans.values()))


def source_view(query, evidence):
    """The evidence (fetched with its claims) the source page highlights for `?stance=`
    (supports/disputes) or `?claim=` (a slug): (evidence shown, the view's name, errors).
    Filtered here, not in SQL: the legend counts every stance whichever is shown."""
    stance, claim = query.get("stance", ""), query.get("claim", "")
    if stance:
        if stance not in Evidence.Stance.values:
            return [], stance, ["“stance” must be supports or disputes."]
        return [e for e in evidence if e.stance == stance], stance, []
    if claim:
        shown = [e for e in evidence if e.claim.slug == claim]
        if not shown:
            return [], "claim", ["This article quotes no published claim with that address."]
        return shown, "claim", []
    return evidence, "", []


LABELS = {
    "q": "Search",
    "disputed": "Disputed",
    "claimant": "Claimed by",
    "subject": "About",
    "asserted_by": "Asserted by",
    "disputed_by": "Disputed by",
    "event": "Event",
    "tag": "Tag",
    "source": "Source",
    "kind": "Kind",
    "from": "From",
    "to": "To",
}
_NAMED = {  # filter → (the public rows it may name, the field that names them)
    "claimant": (public.actors, "name"),
    "subject": (public.actors, "name"),
    "asserted_by": (public.actors, "name"),
    "disputed_by": (public.actors, "name"),
    "event": (public.events, "title"),
    "tag": (public.tags, "name"),
    "source": (public.sources, "title"),
}


def filter_labels(params):
    """[(label, value shown, URL without this filter)]: one query per slug filter in use.

    A filter names its row only when the row is public (claims/public.py); any other value is
    shown as the reader typed it, so the list never prints the name of a non-public record."""
    out = []
    for name, value in params.items():
        if name not in LABELS:
            continue
        shown = value
        if name in _NAMED:
            rows, field = _NAMED[name]
            rows = rows().filter(slug=value)
            shown = rows.values_list(field, flat=True).first() or value
        elif name == "kind":
            shown = dict(Claim.Kind.choices).get(value, value)
        rest = {k: v for k, v in params.items() if k != name}
        out.append((LABELS[name], shown, f"{reverse('claims:claim_list')}?{urlencode(rest)}"))
    return out


def web_annotations(claim, evidence, url, base):
    """The claim's passages as a W3C Web Annotation collection (position + quote selectors)."""
    items = []
    for e in evidence:
        passage, source = e.passage, e.passage.source
        items.append(
            {
                "type": "Annotation",
                "id": f"{url}#evidence-{e.pk}",
                "motivation": "assessing" if e.stance == "disputes" else "describing",
                "body": {
                    "type": "TextualBody",
                    "value": f"{e.get_stance_display()}: {claim.statement}",
                    "purpose": "assessing",
                },
                "target": {
                    "source": source_address(source, base),
                    "selector": [
                        {
                            "type": "TextPositionSelector",
                            "start": passage.start,
                            "end": passage.end,
                        },
                        {
                            "type": "TextQuoteSelector",
                            "exact": passage.text,
                            "prefix": passage.prefix,
                            "suffix": passage.suffix,
                        },
                    ],
                },
            }
        )
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": url,
        "type": "AnnotationCollection",
        "label": claim.statement,
        "total": len(items),
        "first": {"type": "AnnotationPage", "items": items},
    }
