"""Tags added to or removed from many claims at once: the admin's bulk actions, and an API's.

django-taggit does not version tags, so each claim whose tags change is saved as well: a new
`updated_at` makes a form open on it stale (its save is refused instead of silently undoing the
tags) and the claim's history gets a row naming the change.
"""


def add_tags(claims, names, user):
    """Add `names` to each claim; return how many claims changed."""
    return _retag(claims, names, user, adding=True)


def remove_tags(claims, names, user):
    """Remove `names` from each claim; return how many claims changed."""
    return _retag(claims, names, user, adding=False)


def _retag(claims, names, user, adding):
    changed = 0
    for claim in claims:
        have = set(claim.tags.names())
        names_changed = sorted({n for n in names if (n in have) != adding})
        if not names_changed:
            continue
        if adding:
            claim.tags.add(*names_changed)
        else:
            claim.tags.remove(*names_changed)
        claim._history_user = user
        reason = f"tags {'added' if adding else 'removed'}: {', '.join(names_changed)}"
        claim._change_reason = reason if len(reason) <= 100 else reason[:99] + "…"  # its column
        claim.save(update_fields=["updated_at"])
        changed += 1
    return changed
