"""Claims and their evidence: the analyst's main list and form.

The list runs a fixed number of queries whatever its rows (dispute state and supporting-source
count are annotations, tags one prefetch) and never counts or scans the whole table: see
`EstimatedCountPaginator` and the autocomplete filters in `claims.admin.common`.
"""

import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from simple_history.admin import SimpleHistoryAdmin
from taggit.models import Tag

from claims import publishing, tagging
from claims.admin.common import AUTOCOMPLETE_MEDIA, AutocompleteFilter, EstimatedCountPaginator
from claims.admin.publishing import PublishingRuleAdmin, as_id
from claims.anchoring import QuoteAmbiguous, QuoteNotFound, context_around, find_quote
from claims.context import in_context
from claims.export import claims_csv_response
from claims.models import Claim, Evidence, Passage, Source
from claims.quotes import overlap_message, overlapping_evidence
from claims.restore import RestoreError, deleted_claims, restore_claim


def _passage_in_context(passage, sentences=1):
    """The passage marked inside the sentence(s) before and after it (escaped)."""
    ctx = in_context(passage.source.text, passage.start, passage.end, sentences=sentences)
    return format_html(
        '<span class="passage-context">{}{}<mark>{}</mark>{}{}</span>',
        "… " if ctx.cut_before else "",
        ctx.before,
        ctx.passage,
        ctx.after,
        " …" if ctx.cut_after else "",
    )


def _evidence_beside_statement(claim):
    """Every evidence passage of `claim` in its article: two sentences either side, the quote
    marked, stance and source named (all escaped). One query whatever the number of rows."""
    rows = (
        Evidence.objects.filter(claim=claim)
        .select_related("passage__source")
        .order_by("-stance", "passage__source_id", "passage__start", "pk")  # supporting first
    )
    items = [
        format_html(
            '<li class="stance-{}"><span class="evidence-source">{} · {}</span>{}</li>',
            row.stance,
            row.get_stance_display(),
            row.passage.source.title,
            _passage_in_context(row.passage, sentences=2),
        )
        for row in rows
    ]
    if not items:
        return "No evidence yet: add it below; its passages then show here, in their article."
    return format_html(
        '<ul class="evidence-beside">{}</ul>', format_html_join("", "{}", ((i,) for i in items))
    )


CLAIM_FORM_MEDIA = forms.Media(css={"screen": ("claims/admin.css",)})


class EvidenceForm(forms.ModelForm):
    """Evidence chosen by source + exact quote; the passage is found (or created) at the
    quote's offsets when the form is saved, never before every form is valid."""

    source = forms.ModelChoiceField(
        queryset=Source.objects.all(),
        widget=AutocompleteSelect(Passage._meta.get_field("source"), admin.site),
    )
    quote = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 50}),
        strip=False,
        help_text="Paste the exact words from the source.",
    )
    prefix = forms.CharField(
        required=False,
        strip=False,
        help_text="Words just before the quote, if it occurs more than once.",
    )
    suffix = forms.CharField(required=False, strip=False, help_text="Words just after it.")

    class Meta:
        model = Evidence
        fields = ("source", "quote", "prefix", "suffix", "stance", "actors", "note")
        widgets = {"note": forms.Textarea(attrs={"rows": 2, "cols": 50})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.anchor = self.found = None
        passage = self.instance.passage if self.instance.passage_id else None
        if passage is not None:
            self.initial.setdefault("source", passage.source_id)
            self.initial.setdefault("quote", passage.text)

    def has_changed(self):
        # A row pre-filled from "new claim from this passage" is saved even if left untouched.
        if not self.instance.pk and (self.data.get(self.add_prefix("quote")) or "").strip():
            return True
        return super().has_changed()

    def clean(self):
        data = super().clean()
        source, quote = data.get("source"), data.get("quote")
        if source is None or not quote:
            return data
        passage = self.instance.passage if self.instance.passage_id else None
        unchanged = passage is not None and not (
            {"source", "quote", "prefix", "suffix"} & set(self.changed_data)
        )
        if unchanged:
            return data
        try:
            self.anchor = find_quote(source.text, quote, data.get("prefix"), data.get("suffix"))
        except QuoteAmbiguous as exc:
            self.add_error("quote", f"Ambiguous quote: {exc}")
            return data
        except QuoteNotFound as exc:
            self.add_error("quote", f"Quote not found in “{source}”: {exc}")
            return data
        self.found = Passage.objects.filter(
            source=source, start=self.anchor.start, end=self.anchor.end
        ).first()
        claim_id = self.instance.claim_id
        if self.found and claim_id:
            same = Evidence.objects.filter(claim_id=claim_id, passage=self.found)
            if same.exclude(pk=self.instance.pk).exists():
                self.add_error("quote", "This passage is already evidence for this claim.")
                return data
        existing = overlapping_evidence(
            claim_id,
            source.pk,
            self.anchor.start,
            self.anchor.end,
            data.get("stance"),
            exclude_pk=self.instance.pk,
        )
        if existing is not None:
            self.add_error("quote", overlap_message(existing, self.anchor.start, self.anchor.end))
        return data

    def span(self):
        """(source id, start, end) this form points at, for the formset's duplicate check."""
        if self.anchor:
            return (self.cleaned_data["source"].pk, self.anchor.start, self.anchor.end)
        if self.instance.passage_id:
            p = self.instance.passage
            return (p.source_id, p.start, p.end)
        return None

    def save(self, commit=True):
        if self.anchor is not None:
            passage = self.found
            if passage is None:
                passage = Passage(
                    source=self.cleaned_data["source"],
                    start=self.anchor.start,
                    end=self.anchor.end,
                    text=self.anchor.text,
                    kind=Passage.Kind.QUOTE,
                )
                passage.save()
            self.instance.passage = passage
        return super().save(commit)


class EvidenceFormSet(forms.BaseInlineFormSet):
    def clean(self):
        """No two rows of one submission give the same words, or overlapping words with the
        same stance (claims/quotes.py: the rule the database check applies to saved rows)."""
        super().clean()
        seen = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            span = form.span() if not form.errors else None
            if span is None:
                continue
            source_id, start, end = span
            stance = form.cleaned_data.get("stance")
            for other, other_stance, other_form in seen:
                if other == span:
                    form.add_error("quote", "The same passage is given twice as evidence.")
                    break
                overlaps = other[0] == source_id and other[1] < end and start < other[2]
                # Two rows saved before the rule existed may overlap; a new or re-quoted one not.
                touched = form.anchor is not None or other_form.anchor is not None
                if overlaps and other_stance == stance and touched:
                    form.add_error(
                        "quote",
                        "This passage overlaps another evidence row of this claim with "
                        f"the same stance (characters {other[1]}–{other[2]}).",
                    )
                    break
            seen.append((span, stance, form))


class EvidenceInline(admin.StackedInline):
    model = Evidence
    form = EvidenceForm
    formset = EvidenceFormSet
    extra = 0
    fields = ("source", "quote", "prefix", "suffix", "stance", "actors", "note", "in_context")
    readonly_fields = ("in_context",)
    autocomplete_fields = ("actors",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("passage__source")

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if obj is None else 0

    @admin.display(description="in context")
    def in_context(self, obj):
        if not obj or not obj.passage_id:
            return "Shown after saving."
        return _passage_in_context(obj.passage)


class ClaimForm(forms.ModelForm):
    """The claim form refuses a stale save (someone else saved since this form was loaded) and
    status moves the workflow does not allow the user to make.

    On History → revert the instance is the historical copy: the version and the status it
    starts from are the claim's current ones, so a revert restores words, never a status."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)
    user = None  # set by ClaimAdmin.get_form
    reverting = False

    class Meta:
        model = Claim
        fields = (
            "statement",
            "slug",
            "claimant",
            "subjects",
            "event",
            "kind",
            "status",
            "tags",
            "version",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance
        if current.pk and self.reverting:
            current = Claim.objects.filter(pk=current.pk).only("status", "updated_at").first()
            if current is not None:
                self.initial["status"] = current.status
        if current is not None and current.pk and current.updated_at:
            self.fields["version"].initial = current.updated_at.isoformat()

    def clean(self):
        data = super().clean()
        before = None
        if self.instance.pk:
            before = self._check_not_stale(data.get("version") or "")
        self._check_status(data.get("status"), before)
        return data

    def _check_not_stale(self, version):
        """The claim's current status, unless someone saved it since `version`."""
        current = (
            Claim.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("updated_at", "status")
            .first()
        )
        if current is None:
            return None
        if current[0].isoformat() != version:
            raise ValidationError(stale_message(self.instance.pk, version))
        return current[1]

    def _check_status(self, status, before):
        if not status or status == before:
            return
        allowed_from = publishing.MOVES.get(status)
        if allowed_from is not None and (before or Claim.Status.DRAFT) not in allowed_from:
            was = Claim.Status(before).label if before else "a new claim"
            self.add_error(
                "status",
                f"A claim cannot go from {was} to {Claim.Status(status).label}: "
                "drafts are submitted for review, claims in review are published.",
            )
            return
        if status == Claim.Status.PUBLISHED:
            reason = publishing.publish_refusal(self.user, self.instance)
            if reason:
                self.add_error("status", f"Not published: {reason}.")


def stale_message(claim_id, version):
    """What changed in claim `claim_id` since the version the form was loaded at, and by whom."""
    records = Claim.history.filter(id=claim_id).select_related("history_user")
    latest = records.order_by("-history_date", "-history_id").first()
    try:
        loaded = datetime.datetime.fromisoformat(version)
    except ValueError:
        loaded = None
    old = records.filter(updated_at=loaded).order_by("-history_date").first() if loaded else None
    who = ""
    if latest and latest.history_user:
        who = f" by {latest.history_user}"
    text = f"Someone saved this claim{who} while you were editing it; your changes were not saved."
    if old and latest and old.history_id != latest.history_id:
        delta = latest.diff_against(old, foreign_keys_are_objs=True)
        parts = []
        for change in delta.changes:
            if change.field == "updated_at":
                continue  # always differs; says nothing
            field = Claim._meta.get_field(change.field)
            if isinstance(change.old, list) or isinstance(change.new, list):
                parts.append(f"{field.verbose_name} changed")
                continue
            labels = dict(field.flatchoices) if field.choices else {}
            was, now = labels.get(change.old, change.old), labels.get(change.new, change.new)
            parts.append(f"{field.verbose_name}: “{_short(was)}” → “{_short(now)}”")
        if latest.history_change_reason:
            parts.append(latest.history_change_reason)
        if parts:
            text += " Changed meanwhile: " + "; ".join(parts) + "."
    return text + " Reload the page to see the current version, then make your changes again."


def _short(value, limit=80):
    value = "" if value is None else str(value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


class ClaimActionForm(ActionForm):
    tags = forms.CharField(
        required=False,
        label="Tags",
        help_text="for add/remove tags",
        widget=forms.TextInput(attrs={"placeholder": "tags, comma-separated", "size": 24}),
    )


class DisputedFilter(admin.SimpleListFilter):
    title = "disputed"
    parameter_name = "disputed"

    def lookups(self, request, model_admin):
        return (("yes", "Disputed"), ("no", "Not disputed"))

    def queryset(self, request, queryset):
        disputes = Evidence.objects.filter(claim=OuterRef("pk"), stance=Evidence.Stance.DISPUTES)
        if self.value() == "yes":
            return queryset.filter(Exists(disputes))
        if self.value() == "no":
            return queryset.filter(~Exists(disputes))
        return queryset


class TagFilter(admin.SimpleListFilter):
    """Tags are a small table (a vocabulary): listing it does not touch the claims."""

    title = "tag"
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        return [
            (str(pk), name) for pk, name in Tag.objects.order_by("name").values_list("pk", "name")
        ]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            pk = int(self.value())
        except ValueError:
            return queryset.none()
        return queryset.filter(tags__id=pk)


class ClaimantFilter(AutocompleteFilter):
    title = "claimant"
    parameter_name = "claimant"
    field = (Claim, "claimant")

    def filter(self, queryset, pk):
        return queryset.filter(claimant_id=pk)


class EventFilter(AutocompleteFilter):
    title = "event"
    parameter_name = "event"
    field = (Claim, "event")

    def filter(self, queryset, pk):
        return queryset.filter(event_id=pk)


class SourceFilter(AutocompleteFilter):
    title = "source"
    parameter_name = "source"
    field = (Passage, "source")

    def filter(self, queryset, pk):
        quoted = Evidence.objects.filter(claim=OuterRef("pk"), passage__source_id=pk)
        return queryset.filter(Exists(quoted))


@admin.register(Claim)
class ClaimAdmin(PublishingRuleAdmin, SimpleHistoryAdmin):
    form = ClaimForm
    action_form = ClaimActionForm
    list_display = (
        "short_statement",
        "claimant",
        "status",
        "disputed",
        "supporting",
        "tag_list",
        "confidence",
        "updated",
    )
    list_filter = (
        "status",
        DisputedFilter,
        "kind",
        ClaimantFilter,
        TagFilter,
        SourceFilter,
        EventFilter,
    )
    list_select_related = ("claimant",)
    list_per_page = 100
    show_full_result_count = False  # a filtered page would otherwise count the whole table too
    paginator = EstimatedCountPaginator
    show_facets = admin.ShowFacets.NEVER  # counts per filter choice would scan the table
    search_fields = ("statement",)
    search_help_text = "Words from the statement (all must appear)."
    autocomplete_fields = ("claimant", "subjects", "event")
    inlines = (EvidenceInline,)
    readonly_fields = (
        "evidence_beside",
        "author",
        "review",
        "extraction_rule",
        "extraction_confidence",
        "published_at",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("statement", "evidence_beside"),
                    "claimant",
                    "subjects",
                    "event",
                    "kind",
                    "status",
                    "review",
                    "tags",
                    "version",
                )
            },
        ),
        (
            "Record",
            {
                "fields": (
                    "slug",
                    "author",
                    "extraction_rule",
                    "extraction_confidence",
                    "published_at",
                    "created_at",
                    "updated_at",
                ),
                "classes": ("collapse",),
            },
        ),
    )
    actions = (
        "submit_for_review",
        "approve",
        "publish",
        "withdraw",
        "add_tags",
        "remove_tags",
        "export_csv",
    )

    @property
    def media(self):
        return super().media + AUTOCOMPLETE_MEDIA + CLAIM_FORM_MEDIA

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "statement":
            field.widget.attrs.update({"rows": 4, "cols": 40})
        return field

    def get_queryset(self, request):
        return super().get_queryset(request).with_dispute_state().prefetch_related("tags")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        reverting = (request.resolver_match.url_name or "").endswith("_simple_history")
        return type(form.__name__, (form,), {"user": request.user, "reverting": reverting})

    def claims_touched(self, request, object_id):
        return [as_id(object_id)]

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    def has_publish_permission(self, request):
        return request.user.has_perm("claims.publish_claim")

    # Columns ---------------------------------------------------------------------------

    @admin.display(description="statement", ordering="statement")
    def short_statement(self, obj):
        return str(obj)

    @admin.display(description="confidence", ordering="extraction_confidence", empty_value="–")
    def confidence(self, obj):
        """Extraction's confidence in a draft it proposed; empty for claims written by hand."""
        return obj.extraction_confidence

    @admin.display(description="disputed", empty_value="–")
    def disputed(self, obj):
        """A warning mark, not the admin's green ✓: being disputed is not a success."""
        if not obj.is_disputed:
            return None
        return format_html('<span class="stance-disputed">⚑ disputed</span>')

    @admin.display(description="updated", ordering="updated_at")
    def updated(self, obj):
        return format_html(
            '<time datetime="{}" title="{}">{}</time>',
            obj.updated_at.isoformat(),
            date_format(localtime(obj.updated_at), "DATETIME_FORMAT"),
            obj.updated_at.date().isoformat(),
        )

    @admin.display(description="evidence in its article")
    def evidence_beside(self, obj):
        """Beside the statement, so the analyst rewrites a draft's raw sentence with the
        article in view."""
        if not obj or not obj.pk:
            return "Shown after saving."
        return _evidence_beside_statement(obj)

    @admin.display(description="review")
    def review(self, obj):
        if not obj or not obj.pk:
            return "—"
        wrote, approved = publishing.signoffs(obj)
        return (
            f"Written or changed by: {', '.join(wrote) or 'nobody (extraction or a file)'}. "
            f"This version approved by: {', '.join(approved) or 'nobody yet'}."
        )

    @admin.display(description="sources")
    def supporting(self, obj):
        return obj.supporting_sources

    @admin.display(description="tags")
    def tag_list(self, obj):
        return ", ".join(sorted(t.name for t in obj.tags.all()))

    # Pre-filled evidence ("new claim from this passage") --------------------------------

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if obj.pk is None and request.method == "GET" and isinstance(inline, EvidenceInline):
            initial = evidence_initial(request.GET)
            if initial:
                kwargs["initial"] = [initial]
        return kwargs

    # Actions --------------------------------------------------------------------------

    def _report(self, request, verb, done, skipped):
        self.message_user(request, f"{verb} {done} claim{'s' if done != 1 else ''}.")
        for reason, count in skipped.items():
            self.message_user(
                request,
                f"Skipped {count} claim{'s' if count != 1 else ''}: {reason}.",
                messages.WARNING,
            )

    def _move(self, request, queryset, status, verb):
        self._report(request, verb, *publishing.move(queryset, status, request.user))

    @admin.action(description="Submit selected claims for review", permissions=("change",))
    def submit_for_review(self, request, queryset):
        self._move(request, queryset, Claim.Status.IN_REVIEW, "Submitted for review")

    @admin.action(description="Approve this version of selected claims", permissions=("publish",))
    def approve(self, request, queryset):
        self._report(request, "Approved", *publishing.approve(queryset, request.user))

    @admin.action(description="Publish selected claims", permissions=("publish",))
    def publish(self, request, queryset):
        self._move(request, queryset, Claim.Status.PUBLISHED, "Published")

    @admin.action(description="Withdraw selected claims", permissions=("change",))
    def withdraw(self, request, queryset):
        self._move(request, queryset, Claim.Status.WITHDRAWN, "Withdrew")

    def _tags(self, request):
        names = [t.strip() for t in request.POST.get("tags", "").split(",") if t.strip()]
        if not names:
            self.message_user(
                request,
                "Type the tags (comma-separated) in the Tags box next to the action, then run it.",
                messages.ERROR,
            )
        return names

    @admin.action(description="Add tags to selected claims", permissions=("change",))
    def add_tags(self, request, queryset):
        names = self._tags(request)
        if names:
            changed = tagging.add_tags(queryset, names, request.user)
            self.message_user(request, f"Tagged {changed} claims with {', '.join(names)}.")

    @admin.action(description="Remove tags from selected claims", permissions=("change",))
    def remove_tags(self, request, queryset):
        names = self._tags(request)
        if names:
            changed = tagging.remove_tags(queryset, names, request.user)
            self.message_user(request, f"Removed {', '.join(names)} from {changed} claims.")

    @admin.action(description="Export selected claims as CSV", permissions=("view",))
    def export_csv(self, request, queryset):
        return claims_csv_response(
            queryset, filename_stem="claims-selected", base_url=request.build_absolute_uri("/")
        )

    # Deleted claims -------------------------------------------------------------------

    def get_urls(self):
        urls = [
            path(
                "deleted/",
                self.admin_site.admin_view(self.deleted_view),
                name="claims_claim_deleted",
            ),
            path(
                "deleted/<int:claim_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="claims_claim_restore",
            ),
        ]
        return urls + super().get_urls()

    def deleted_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "Deleted claims",
            "opts": self.opts,
            "records": deleted_claims()[:200],
        }
        return TemplateResponse(request, "admin/claims/claim/deleted.html", context)

    def restore_view(self, request, claim_id):
        if request.method != "POST" or not self.has_add_permission(request):
            raise PermissionDenied
        try:
            done = restore_claim(claim_id, request.user)
        except RestoreError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return redirect("admin:claims_claim_deleted")
        note = (
            f" {done.lost} evidence row(s) pointed at deleted passages and were not restored."
            if done.lost
            else ""
        )
        if done.held:
            note += f" It was published; it is back in review, not public: {done.held}."
        self.message_user(
            request, f"Restored “{done.claim}” with {done.evidence} evidence row(s).{note}"
        )
        return redirect(reverse("admin:claims_claim_change", args=[done.claim.pk]))


def evidence_initial(params):
    """Initial data for one evidence row from `?passage=<id>` or `?source=<id>&quote=…`
    (with optional `start`, the quote's offset, to pre-fill prefix/suffix). {} when unusable."""
    try:
        if params.get("passage"):
            p = Passage.objects.filter(pk=int(params["passage"])).first()
            if p:
                return {
                    "source": p.source_id,
                    "quote": p.text,
                    "prefix": p.prefix,
                    "suffix": p.suffix,
                }
        elif params.get("source") and params.get("quote"):
            source = Source.objects.filter(pk=int(params["source"])).only("pk", "text").first()
            quote = params["quote"].replace("\r\n", "\n").replace("\x00", "")
            if source is None:
                return {}
            initial = {"source": source.pk, "quote": quote}
            start = int(params.get("start", -1))
            if start >= 0 and source.text[start : start + len(quote)] == quote:
                initial["prefix"], initial["suffix"] = context_around(
                    source.text, start, start + len(quote)
                )
            return initial
    except ValueError:
        return {}
    return {}


@admin.register(Evidence)
class EvidenceAdmin(PublishingRuleAdmin, SimpleHistoryAdmin):
    list_display = ("claim", "stance", "passage_text", "source")
    list_filter = ("stance",)
    list_select_related = ("claim", "passage__source")
    search_fields = ("claim__statement",)
    autocomplete_fields = ("claim", "passage", "actors")

    def claims_touched(self, request, object_id):
        """The claim the evidence belongs to now and the one the posted form names."""
        current = Evidence.objects.filter(pk=as_id(object_id)).values_list("claim_id", flat=True)
        return [current.first(), as_id(request.POST.get("claim"))]

    def get_actions(self, request):
        # Deleting evidence in bulk would change published claims outside the rule; one by one
        # (here or on the claim's page) goes through it.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description="passage")
    def passage_text(self, obj):
        return str(obj.passage)

    @admin.display(description="source")
    def source(self, obj):
        return obj.passage.source.title
