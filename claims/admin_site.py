"""The analyst's admin site: the home page is a workspace (what waits for review, what the
latest ingests proposed, where to ingest and export), and models are listed in the order an
analyst works rather than alphabetically.

Installed as the default admin site by `claims.admin_apps.AnalystAdminConfig`, so `admin.site` and
`@admin.register` everywhere are this site. Only documented AdminSite hooks are used:
`index_template`, `index(extra_context=…)` and `get_app_list`.

Outside the claims.admin package on purpose: importing that package registers the models on
`admin.site`, which must already be this site by then.
"""

from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.http import urlencode

# (app label, model name) in the order an analyst meets them; models not named keep their
# place after these. Taggit's tags join the knowledge base's section: no "Taggit" heading.
MODEL_ORDER = (
    ("claims", "Source"),
    ("claims", "Claim"),
    ("claims", "Evidence"),
    ("claims", "Actor"),
    ("claims", "ActorAlias"),
    ("claims", "Event"),
    ("claims", "EventParticipant"),
    ("claims", "Passage"),
    ("taggit", "Tag"),
)
MERGED_APPS = ("taggit",)  # shown inside the claims section
REVIEW_QUEUE_ROWS = 10
LATEST_INGESTS = 5
EVIDENCE_CHANGES_ROWS = 10
EVIDENCE_CHANGES_SCAN = 100  # history rows read to find that many distinct claims
CHANGE_VERBS = {"+": "evidence added", "~": "evidence changed", "-": "evidence removed"}


def evidence_changes(limit=EVIDENCE_CHANGES_ROWS):
    """Claims whose evidence changed most recently, newest first, from the evidence history
    (django-simple-history): [{claim, when, verb, by}]. Two queries whatever the size: the
    latest history rows by the `history_date` index, then those claims by primary key. A
    claim deleted since is left out."""
    from claims.models import Claim, Evidence

    rows = Evidence.history.order_by("-history_date", "-history_id").values_list(
        "claim_id", "history_date", "history_type", "history_user__username"
    )[:EVIDENCE_CHANGES_SCAN]
    latest = {}
    for claim_id, when, kind, by in rows:
        if claim_id not in latest:
            latest[claim_id] = (when, CHANGE_VERBS.get(kind, "evidence changed"), by)
        if len(latest) == limit:
            break
    claims = Claim.objects.select_related("claimant").in_bulk(list(latest))
    return [
        {"claim": claims[pk], "when": when, "verb": verb, "by": by or ""}
        for pk, (when, verb, by) in latest.items()
        if pk in claims
    ]


class AnalystAdminSite(admin.AdminSite):
    site_header = "Claims knowledge base"
    site_title = "Claims KB admin"
    index_title = "Analyst workspace"
    index_template = "admin/claims/index.html"

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        if app_label is not None:
            return apps
        rank = {key: i for i, key in enumerate(MODEL_ORDER)}
        by_label = {app["app_label"]: app for app in apps}
        main = by_label.get("claims")
        if main is not None:
            for label in MERGED_APPS:
                merged = by_label.pop(label, None)
                if merged is not None:
                    main["models"].extend(merged["models"])
        ordered = list(by_label.values())
        # The knowledge base first, then the rest (users and groups, API tokens) as Django
        # sorts them (a stable sort keeps that order).
        ordered.sort(key=lambda app: app["app_label"] != "claims")
        for app in ordered:
            app["models"].sort(
                key=lambda m: rank.get((m["model"]._meta.app_label, m["object_name"]), len(rank))
            )
        return ordered

    def index(self, request, extra_context=None):
        return super().index(request, {**workspace(request), **(extra_context or {})})


def workspace(request):
    """What the analyst's home shows beside the models: six queries whatever the size of the
    knowledge base (two counts by the status index, the head of the review queue, the latest
    sources with their drafts, the claims whose evidence changed last: two)."""
    from claims.models import Claim, Evidence, Source

    user = request.user
    if not user.has_perm("claims.view_claim"):
        return {"workspace": None}
    changelist = reverse("admin:claims_claim_changelist")
    in_review = Claim.objects.filter(status=Claim.Status.IN_REVIEW)
    drafts = Claim.objects.filter(status=Claim.Status.DRAFT)
    draft_count = (
        Evidence.objects.filter(passage__source=OuterRef("pk"), claim__status=Claim.Status.DRAFT)
        .order_by()
        .values("passage__source")
        .annotate(n=Count("claim", distinct=True))
        .values("n")
    )
    latest = list(
        Source.objects.order_by("-created_at", "-pk")
        .only("pk", "title", "created_at")
        .annotate(drafts=Coalesce(Subquery(draft_count, output_field=IntegerField()), 0))[
            :LATEST_INGESTS
        ]
    )
    ingests = [
        {
            "source": source,
            "drafts": source.drafts,
            "url": f"{changelist}?{urlencode({'source': source.pk, 'status__exact': 'draft'})}",
        }
        for source in latest
        if source.drafts
    ]
    return {
        "workspace": {
            "review_count": in_review.count(),
            "review_queue": list(
                in_review.select_related("claimant").order_by("created_at", "pk")[
                    :REVIEW_QUEUE_ROWS
                ]
            ),
            "review_url": f"{changelist}?{urlencode({'status__exact': 'in_review'})}",
            "draft_count": drafts.count(),
            "drafts_url": f"{changelist}?{urlencode({'status__exact': 'draft'})}",
            "ingests": ingests,
            "evidence_changes": evidence_changes(),
            "can_ingest": user.has_perm("claims.add_source"),
            "ingest_url": reverse("admin_ingest"),
            "claims_url": changelist,
            "export_csv_url": reverse("claims:export_csv"),
            "export_jsonl_url": reverse("claims:export_jsonl"),
        }
    }
