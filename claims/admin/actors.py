"""Actors and their aliases, with the "merge duplicates" action."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.template.response import TemplateResponse
from simple_history.admin import SimpleHistoryAdmin

from claims.admin.common import EstimatedCountPaginator
from claims.merge import MergeError, merge_actors
from claims.models import Actor, ActorAlias, Claim, EventParticipant, Evidence


class ActorAliasInline(admin.TabularInline):
    model = ActorAlias
    extra = 0
    fields = ("name",)


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(queryset=Actor.objects.none(), widget=forms.RadioSelect)
    across_kinds = forms.BooleanField(
        required=False, label="Yes, merge actors of different kinds into the kept one."
    )

    def __init__(self, *args, actors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = actors
        self.fields["keep"].label_from_instance = lambda a: f"{a} ({a.get_kind_display()}, #{a.pk})"


@admin.register(Actor)
class ActorAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "affiliation", "reviewed", "updated_at")
    list_filter = ("kind", "reviewed", "extraction_rule")
    list_select_related = ("affiliation",)
    paginator = EstimatedCountPaginator
    show_facets = admin.ShowFacets.NEVER  # counts per filter choice would scan the table
    show_full_result_count = False
    search_fields = ("name",)
    search_help_text = "A name or any alias."
    autocomplete_fields = ("affiliation",)
    inlines = (ActorAliasInline,)
    actions = ("merge",)

    def get_search_results(self, request, queryset, search_term):
        """Name or alias, each through its own trigram index (no join, so no DISTINCT)."""
        term = search_term.strip()
        if not term:
            return queryset, False
        aliases = ActorAlias.objects.filter(name__icontains=term).values("actor_id")
        return queryset.filter(Q(name__icontains=term) | Q(pk__in=aliases)), False

    @admin.action(description="Merge selected actors into one…", permissions=("change",))
    def merge(self, request, queryset):
        actors = queryset.order_by("name")
        if actors.count() < 2:
            self.message_user(
                request,
                "Select at least two actors: the one to keep and the duplicates to merge into it "
                "(an actor cannot be merged into itself).",
                messages.ERROR,
            )
            return None
        form = MergeForm(request.POST if "confirm" in request.POST else None, actors=actors)
        error = ""
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            others = [a for a in actors if a.pk != keep.pk]
            try:
                moved = merge_actors(
                    keep, others, request.user, allow_kinds=form.cleaned_data["across_kinds"]
                )
            except MergeError as exc:
                error = str(exc)
            else:
                detail = ", ".join(f"{n} {what}" for what, n in moved.items() if n)
                self.message_user(
                    request,
                    f"Merged {', '.join(o.name for o in others)} into “{keep}”"
                    + (f" (moved {detail})." if detail else "."),
                )
                return None
        elif "confirm" in request.POST:
            error = "Choose the actor to keep."
        rows = [
            {
                "actor": a,
                "claims_made": Claim.objects.filter(claimant=a).count(),
                "claims_about": Claim.subjects.through.objects.filter(actor=a).count(),
                "stances": Evidence.actors.through.objects.filter(actor=a).count(),
                "events": EventParticipant.objects.filter(actor=a).count(),
                "aliases": [al.name for al in a.aliases.all()],
            }
            for a in actors.prefetch_related("aliases")
        ]
        kinds = {a.kind for a in actors}
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge actors",
            "opts": self.opts,
            "form": form,
            "rows": rows,
            "mixed_kinds": len(kinds) > 1,
            "error": error,
            "selected": [a.pk for a in actors],
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/claims/actor/merge.html", context)


@admin.register(ActorAlias)
class ActorAliasAdmin(SimpleHistoryAdmin):
    list_display = ("name", "actor")
    list_select_related = ("actor",)
    search_fields = ("name",)
    autocomplete_fields = ("actor",)
