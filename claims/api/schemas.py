"""Serializers: the shapes of the API for its OpenAPI schema, and the validation of writes.

Output records are built by `claims/api/records.py` from value rows; the serializers here only
describe them (tests check that every key a response carries is described). Input serializers
validate request bodies and resolve slugs to rows.
"""

from rest_framework import serializers

from claims.models import Actor, Claim, Event, Evidence, Passage, Source


class Ref(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()


class TitledRef(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()


class Record(serializers.Serializer):
    id = serializers.IntegerField(help_text="Stable: never reused.")
    api_url = serializers.URLField()


class PassageOut(Record):
    url = serializers.URLField(help_text="The passage inside its source's public page.")
    kind = serializers.ChoiceField(choices=Passage.Kind.choices)
    source = TitledRef()
    start = serializers.IntegerField(help_text="Offset of the first character (code points).")
    end = serializers.IntegerField(help_text="Offset just past the last character.")
    text = serializers.CharField(help_text="Exactly the source's text between the offsets.")
    prefix = serializers.CharField(allow_blank=True)
    suffix = serializers.CharField(allow_blank=True)


class EvidenceOut(Record):
    claim = serializers.IntegerField()
    stance = serializers.ChoiceField(choices=Evidence.Stance.choices)
    actors = Ref(many=True, help_text="The actors taking this stance.")
    note = serializers.CharField(allow_blank=True)
    passage = PassageOut()
    created_at = serializers.DateTimeField()


class ClaimOut(Record):
    slug = serializers.CharField()
    url = serializers.URLField(help_text="The public page (a permalink once published).")
    statement = serializers.CharField()
    kind = serializers.ChoiceField(choices=Claim.Kind.choices)
    status = serializers.ChoiceField(choices=Claim.Status.choices)
    claimant = Ref(allow_null=True, help_text="Null: the source's own voice.")
    subjects = Ref(many=True)
    event = TitledRef(allow_null=True)
    tags = serializers.ListField(child=serializers.CharField())
    disputed = serializers.BooleanField(help_text="Has at least one disputing passage.")
    disputed_by = serializers.ListField(child=serializers.CharField())
    supporting_sources = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    published_at = serializers.DateTimeField(allow_null=True)


class ClaimDetailOut(ClaimOut):
    evidence = EvidenceOut(many=True)


class ActorOut(Record):
    slug = serializers.CharField()
    url = serializers.URLField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Actor.Kind.choices)
    description = serializers.CharField(allow_blank=True)
    aliases = serializers.ListField(child=serializers.CharField())
    affiliation = Ref(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class Participant(serializers.Serializer):
    actor = Ref()
    role = serializers.CharField(allow_blank=True)


class EventOut(Record):
    slug = serializers.CharField()
    url = serializers.URLField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=Event.Kind.choices)
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)
    date_precision = serializers.ChoiceField(choices=Event.Precision.choices)
    date_label = serializers.CharField(allow_blank=True, help_text="“2000”, “June 2024”…")
    location = serializers.CharField(allow_blank=True)
    description = serializers.CharField(allow_blank=True)
    participants = Participant(many=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class SourceOut(Record):
    slug = serializers.CharField()
    url = serializers.URLField(help_text="The article's page on this site.")
    title = serializers.CharField()
    original_url = serializers.CharField(allow_blank=True, help_text="Where it was published.")
    publisher = serializers.CharField(allow_blank=True)
    published_on = serializers.DateField(allow_null=True)
    created_at = serializers.DateTimeField()


class SourceDetailOut(SourceOut):
    text = serializers.CharField(help_text="The full text; passage offsets index into it.")


class ChangeOut(serializers.Serializer):
    cursor = serializers.CharField(help_text="Pass as `since` to read the entries after this.")
    type = serializers.ChoiceField(
        choices=["claim", "actor", "event", "source", "passage", "evidence"]
    )
    id = serializers.IntegerField()
    change = serializers.ChoiceField(
        choices=["created", "published", "edited", "withdrawn", "deleted"]
    )
    public = serializers.BooleanField(
        help_text="Whether the record is public now: fetch and keep it, or remove it."
    )
    api_url = serializers.URLField(allow_null=True, help_text="Null when not public.")
    at = serializers.DateTimeField()


class ChangesOut(serializers.Serializer):
    results = ChangeOut(many=True)
    cursor = serializers.CharField(help_text="Where the next read starts (`since`).")
    next = serializers.URLField()


class Problem(serializers.Serializer):
    detail = serializers.CharField(required=False)
    errors = serializers.JSONField(required=False)


# -- input -----------------------------------------------------------------------------------


def _slugged(model, **kwargs):
    return serializers.SlugRelatedField(slug_field="slug", queryset=model.objects.all(), **kwargs)


class EvidenceIn(serializers.Serializer):
    source = _slugged(Source, help_text="The source's slug.")
    quote = serializers.CharField(trim_whitespace=False, max_length=20_000)
    prefix = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, max_length=200
    )
    suffix = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, max_length=200
    )
    stance = serializers.ChoiceField(choices=Evidence.Stance.choices, default="supports")
    actors = serializers.ListField(child=_slugged(Actor), required=False, max_length=50)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5_000)


class ClaimIn(serializers.Serializer):
    statement = serializers.CharField(max_length=5_000)
    kind = serializers.ChoiceField(choices=Claim.Kind.choices, default=Claim.Kind.FACT)
    claimant = _slugged(Actor, required=False, allow_null=True, help_text="An actor's slug.")
    subjects = serializers.ListField(child=_slugged(Actor), required=False, max_length=50)
    event = _slugged(Event, required=False, allow_null=True)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=50
    )
    evidence = EvidenceIn(many=True, required=False)


class StatusIn(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[Claim.Status.IN_REVIEW, Claim.Status.PUBLISHED, Claim.Status.WITHDRAWN]
    )
