"""The publishing rule on the admin's object pages: the claim, evidence and passage pages change
what a published claim shows, so their saves go through `claims.publishing.editing()`."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_protect

from claims import publishing


def as_id(value):
    """`value` (a URL's object id, a POSTed choice) as an int, or None."""
    try:
        return int(unquote(value)) if value is not None else None
    except (TypeError, ValueError):
        return None


class PublishingRuleAdmin:
    """Posts to the change, add, delete and History → revert pages run inside one
    `publishing.editing()`: a claim the page changed while it was public goes back to review unless
    the user may publish the new version, and the user is told. Subclasses say which claims a
    page may change in `claims_touched()`."""

    def claims_touched(self, request, object_id):
        raise NotImplementedError

    def _under_rule(self, view, request, object_id, *args):
        if request.method != "POST":
            return view(request, object_id, *args)
        claim_ids = self.claims_touched(request, object_id)
        with publishing.editing(request.user, claim_ids) as edit:
            response = view(request, object_id, *args)
        for claim, reason in edit.sent_back.items():
            self.message_user(
                request,
                f"“{claim}” went back to review, so it is no longer public: {reason}.",
                messages.WARNING,
            )
        return response

    # CSRF first (the admin's own views check it too): a forged post never locks a claim.
    @method_decorator(csrf_protect)
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return self._under_rule(
            super().changeform_view, request, object_id, form_url, extra_context
        )

    @method_decorator(csrf_protect)
    def delete_view(self, request, object_id, extra_context=None):
        return self._under_rule(super().delete_view, request, object_id, extra_context)

    @method_decorator(csrf_protect)
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        return self._under_rule(
            super().history_form_view, request, object_id, version_id, extra_context
        )
