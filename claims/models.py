"""The domain: sources and their passages, actors, events, claims and the evidence tying them.

Invariants the database can hold are named constraints; the rest (a passage's text equals its
source's text at its offsets, one normalized alias per actor) is checked in `clean()`/`save()`.
"""

import calendar
import datetime
import functools
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Length
from django.urls import get_script_prefix, reverse
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from claims.aggregates import JoinedNames
from claims.text import content_hash, normalize_alias, short_slug
from claims.weblinks import WebURLField


@functools.lru_cache(maxsize=64)
def _url_before_slug(name, script_prefix):
    return reverse(name, args=["-"]).removesuffix("-/")


def slug_url(name, slug):
    """`reverse(name, args=[slug])` for the public `…/<slug>/` URLs, without matching the URL
    table on every call (a claim page links to a dozen actors, events and sources)."""
    return f"{_url_before_slug(name, get_script_prefix())}{quote(slug)}/"


def unique_slug(model, text, max_length=60, exclude_pk=None):
    """A slug from `text` that no other row of `model` uses (suffixes -2, -3, … on clashes)."""
    base = short_slug(text, max_length)
    taken = set(
        model._default_manager.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


class Source(models.Model):
    title = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=80, unique=True, blank=True, help_text="Made from the name when left empty."
    )
    url = WebURLField(max_length=500, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    text = models.TextField(help_text="The article's full text, normalized once at ingest.")
    content_hash = models.CharField(max_length=64, unique=True, editable=False)
    origin = models.CharField(max_length=300, blank=True, help_text="The file it came from.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["text"])

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="source_text_not_empty"),
        ]
        # The home page's newest sources: walked in order until enough are public, instead of
        # sorting every source (0.4 s on SQLite, 1.3 s on PostgreSQL at 20,000 sources).
        indexes = [models.Index(fields=["-published_on", "title"], name="source_published_title")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        new_hash = content_hash(self.text)
        if getattr(self, "_loaded_hash", None) not in (None, new_hash):
            raise ValidationError("A source's text cannot change once stored.")
        self.content_hash = new_hash
        if not self.slug:
            self.slug = unique_slug(Source, self.title, exclude_pk=self.pk)
        super().save(*args, **kwargs)
        self._loaded_hash = new_hash

    def get_absolute_url(self):
        return slug_url("claims:source_detail", self.slug)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_hash = instance.__dict__.get("content_hash")
        return instance

    def clean(self):
        if not self.text or not self.text.strip():
            raise ValidationError({"text": "A source needs its article text."})
        new_hash = content_hash(self.text)
        if getattr(self, "_loaded_hash", None) not in (None, new_hash):
            raise ValidationError(
                {
                    "text": "A source's text cannot change once stored; add the new version "
                    "as a new source."
                }
            )
        clash = Source.objects.filter(content_hash=new_hash).exclude(pk=self.pk).first()
        if clash:
            raise ValidationError({"text": f"This exact text is already the source “{clash}”."})


class Passage(models.Model):
    class Kind(models.TextChoices):
        HEADING = "heading", "Heading"
        PARAGRAPH = "paragraph", "Paragraph"
        SENTENCE = "sentence", "Sentence"
        QUOTE = "quote", "Quoted span"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="passages")
    start = models.PositiveIntegerField(help_text="Offset of the first character (code points).")
    end = models.PositiveIntegerField(help_text="Offset just past the last character.")
    text = models.TextField()
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.QUOTE)
    repeat_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="repeats",
        help_text="The first occurrence when the article repeats this paragraph verbatim.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["source", "start", "-end"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "start", "end"], name="passage_unique_source_span"
            ),
            models.CheckConstraint(
                condition=Q(start__lt=F("end")), name="passage_start_before_end"
            ),
            models.CheckConstraint(
                condition=Q(end=F("start") + Length("text")), name="passage_length_matches_text"
            ),
        ]
        indexes = [models.Index(fields=["source", "kind"], name="passage_source_kind")]

    def __str__(self):
        snippet = " ".join(self.text.split())
        return f"{snippet[:80]}…" if len(snippet) > 80 else snippet

    def save(self, *args, **kwargs):
        """Checks the offsets against the source (reads `self.source`: a query if not cached)."""
        if not self.text and self.source_id is not None:
            self.text = self.source.text[self.start : self.end]
        self.clean()
        text = self.source.text
        self.prefix = text[max(0, self.start - 32) : self.start]
        self.suffix = text[self.end : self.end + 32]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.source.get_absolute_url()}#p-{self.pk}"

    def clean(self):
        if self.source_id is None:
            return
        text = self.source.text
        if not (0 <= self.start < self.end <= len(text)):
            raise ValidationError(
                f"Offsets {self.start}–{self.end} are outside the source "
                f"(its text has {len(text)} characters)."
            )
        if self.text and text[self.start : self.end] != self.text:
            raise ValidationError(
                "The passage text does not match the source at offsets "
                f"{self.start}–{self.end}: the source says “{text[self.start : self.end][:80]}”."
            )

    @property
    def canonical(self):
        return self.repeat_of or self


class Actor(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        STATE = "state", "State"
        GOVERNMENT_BODY = "government_body", "Government body"
        ORGANIZATION = "organization", "Organization"
        MEDIA = "media", "Media outlet"
        GROUP = "group", "Group"

    name = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=80, unique=True, blank=True, help_text="Made from the name when left empty."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField(blank=True)
    affiliation = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        help_text="The body this actor belongs to or speaks for (John Kirby → NSC).",
    )
    reviewed = models.BooleanField(
        default=True, help_text="Off for candidates proposed by extraction until an analyst checks."
    )
    extraction_rule = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = models.Manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(affiliation=F("pk")), name="actor_not_affiliated_to_itself"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        """Also records the actor's own name as an alias, so lookups find it by name."""
        if not self.slug:
            self.slug = unique_slug(Actor, self.name, exclude_pk=self.pk)
        super().save(*args, **kwargs)
        ActorAlias.objects.get_or_create(
            normalized=normalize_alias(self.name), defaults={"actor": self, "name": self.name}
        )

    def get_absolute_url(self):
        return slug_url("claims:actor_detail", self.slug)

    def clean(self):
        if self.affiliation_id and self.affiliation_id == self.pk:
            raise ValidationError({"affiliation": "An actor cannot be affiliated to itself."})
        owner = ActorAlias.objects.filter(normalized=normalize_alias(self.name)).first()
        if owner and owner.actor_id != self.pk:
            raise ValidationError(
                {"name": f"“{self.name}” is already a name of {owner.actor}; merge them instead."}
            )

    @classmethod
    def resolve(cls, name):
        """The actor one of whose names normalizes like `name`, or None."""
        alias = (
            ActorAlias.objects.select_related("actor")
            .filter(normalized=normalize_alias(name))
            .first()
        )
        return alias.actor if alias else None


class ActorAlias(models.Model):
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    normalized = models.CharField(max_length=200, unique=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "actor aliases"
        constraints = [
            models.CheckConstraint(condition=~Q(normalized=""), name="alias_normalized_not_empty"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalized = normalize_alias(self.name)
        super().save(*args, **kwargs)

    def clean(self):
        normalized = normalize_alias(self.name)
        if not normalized:
            raise ValidationError({"name": "An alias needs at least one letter or digit."})
        owner = ActorAlias.objects.filter(normalized=normalized).exclude(pk=self.pk).first()
        if owner:
            raise ValidationError(
                {"name": f"“{self.name}” already names {owner.actor} (as “{owner.name}”)."}
            )


class Event(models.Model):
    class Kind(models.TextChoices):
        VISIT = "visit", "Visit"
        MEETING = "meeting", "Meeting"
        SUMMIT = "summit", "Summit"
        TREATY = "treaty", "Treaty or agreement"
        WAR = "war", "War or conflict"
        PERIOD = "period", "Period"
        STATEMENT = "statement", "Statement or publication"
        OTHER = "other", "Other"

    class Precision(models.TextChoices):
        YEAR = "year", "Year"
        MONTH = "month", "Month"
        DAY = "day", "Day"

    title = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=80, unique=True, blank=True, help_text="Made from the name when left empty."
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.OTHER)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(
        max_length=8, choices=Precision.choices, default=Precision.DAY
    )
    location = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    participants = models.ManyToManyField(
        Actor, through="EventParticipant", related_name="events", blank=True
    )
    extraction_rule = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = [F("start_date").asc(nulls_last=True), "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=False),
                name="event_end_needs_start",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="event_end_not_before_start",
            ),
        ]

    def __str__(self):
        when = self.date_label
        return f"{self.title} ({when})" if when else self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Event, self.title, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("claims:event_detail", self.slug)

    def clean(self):
        if self.end_date and not self.start_date:
            raise ValidationError({"end_date": "An end date needs a start date."})
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The end date is before the start date."})

    def _format(self, day):
        if self.date_precision == self.Precision.YEAR:
            return str(day.year)
        if self.date_precision == self.Precision.MONTH:
            return f"{calendar.month_name[day.month]} {day.year}"
        return f"{day.day} {calendar.month_name[day.month]} {day.year}"

    @property
    def date_label(self):
        """The date as precise as it is known: "2000", "June 2024", "1950–1953"."""
        if not self.start_date:
            return ""
        start = self._format(self.start_date)
        if not self.end_date:
            return start
        end = self._format(self.end_date)
        return start if end == start else f"{start}–{end}"

    @property
    def date_range(self):
        """The first and last day the precision covers (a year is a span, not a day)."""
        if not self.start_date:
            return None
        last = self.end_date or self.start_date
        if self.date_precision == self.Precision.YEAR:
            return datetime.date(self.start_date.year, 1, 1), datetime.date(last.year, 12, 31)
        if self.date_precision == self.Precision.MONTH:
            days = calendar.monthrange(last.year, last.month)[1]
            return self.start_date.replace(day=1), last.replace(day=days)
        return self.start_date, last


class EventParticipant(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participations")
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="participations")
    role = models.CharField(max_length=100, blank=True, help_text="host, guest, belligerent…")

    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "actor__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "actor", "role"], name="participant_unique_event_actor_role"
            ),
        ]

    def __str__(self):
        return f"{self.actor} ({self.role})" if self.role else str(self.actor)


class ClaimQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Claim.Status.PUBLISHED)

    def with_dispute_state(self):
        """Annotate `is_disputed`, `disputed_by` ("; "-joined names) and `supporting_sources`.

        Three correlated subqueries: constant in the number of claims.
        """
        # A scalar LIMIT 1 probe rather than EXISTS: in a select list PostgreSQL may evaluate
        # EXISTS as a hashed subplan over every disputing evidence row (150 ms for a 100-row
        # page at 1,000,000 claims) where an index probe per shown row costs microseconds.
        first_dispute = (
            Evidence.objects.filter(claim=OuterRef("pk"), stance=Evidence.Stance.DISPUTES)
            .order_by()
            .values(flag=Value(True, output_field=models.BooleanField()))[:1]
        )
        names = (
            Evidence.actors.through.objects.filter(
                evidence__claim=OuterRef("pk"), evidence__stance=Evidence.Stance.DISPUTES
            )
            .order_by()
            .values("evidence__claim")
            .annotate(names=JoinedNames("actor__name"))
            .values("names")
        )
        return self.annotate(
            is_disputed=Coalesce(Subquery(first_dispute), Value(False)),
            disputed_by=Coalesce(Subquery(names), Value("")),
        ).with_supporting_sources()

    def with_supporting_sources(self):
        """Annotate `supporting_sources`: distinct sources of supporting passages."""
        if "supporting_sources" in self.query.annotations:
            return self
        sources = (
            Evidence.objects.filter(claim=OuterRef("pk"), stance=Evidence.Stance.SUPPORTS)
            .order_by()
            .values("claim")
            .annotate(n=Count("passage__source", distinct=True))
            .values("n")
        )
        return self.annotate(supporting_sources=Coalesce(Subquery(sources), Value(0)))

    def update(self, **kwargs):
        """Bulk updates send no signals: bump the public pages' cache version here instead."""
        from claims.cache import bump
        from claims.changes import track_update

        with track_update(self):  # and list them in the changes feed
            count = super().update(**kwargs)
        bump()
        return count

    def disputed(self, disputed=True):
        """Claims with (or, given False, without) disputing evidence: the rule behind
        `is_disputed`, as a filter that needs no annotation."""
        exists = Exists(
            Evidence.objects.filter(claim=OuterRef("pk"), stance=Evidence.Stance.DISPUTES)
        )
        return self.filter(exists if disputed else ~exists)


class Claim(models.Model):
    class Kind(models.TextChoices):
        FACT = "fact", "Fact"
        ANALYSIS = "analysis", "Analysis"
        PREDICTION = "prediction", "Prediction"
        ATTRIBUTED = "attributed_statement", "Attributed statement"
        DENIAL = "denial", "Denial"
        ALLEGATION = "allegation", "Allegation"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    statement = models.TextField(help_text="One self-contained sentence, in the analyst's words.")
    slug = models.SlugField(
        max_length=80, unique=True, blank=True, help_text="Made from the name when left empty."
    )
    claimant = models.ForeignKey(
        Actor,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims_made",
        help_text="Who asserts it; empty when it is the source's own voice.",
    )
    subjects = models.ManyToManyField(Actor, related_name="claims_about", blank=True)
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="claims"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices, default=Kind.FACT)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    tags = TaggableManager(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claims_authored",
    )
    extraction_rule = models.CharField(
        max_length=60, blank=True, help_text="Set when the claim was proposed by extraction."
    )
    extraction_confidence = models.FloatField(
        null=True,
        blank=True,
        help_text="How sure extraction was of the rule's reading (0–1); empty for claims "
        "written by hand.",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClaimQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[subjects])

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("publish_claim", "Can publish claims")]
        constraints = [
            models.CheckConstraint(condition=~Q(statement=""), name="claim_statement_not_empty"),
            models.CheckConstraint(
                condition=Q(extraction_confidence__isnull=True)
                | Q(extraction_confidence__gte=0, extraction_confidence__lte=1),
                name="claim_extraction_confidence_0_to_1",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="claim_status_created"),
            # The timeline counts each event's published claims: on SQLite from this index
            # alone, not one table row per claim (238 -> 44 ms at 200,000 claims; PostgreSQL
            # still prefers to read the table).
            models.Index(fields=["event", "status"], name="claim_event_status"),
        ]

    def __str__(self):
        return self.statement if len(self.statement) <= 100 else f"{self.statement[:99]}…"

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Claim, self.statement, exclude_pk=self.pk)
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            from django.utils import timezone

            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("claims:claim_detail", self.slug)

    def clean(self):
        if not self.statement or not self.statement.strip():
            raise ValidationError({"statement": "Write the claim as one sentence."})


class Evidence(models.Model):
    class Stance(models.TextChoices):
        SUPPORTS = "supports", "Supports"
        DISPUTES = "disputes", "Disputes"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    passage = models.ForeignKey(Passage, on_delete=models.PROTECT, related_name="evidence")
    stance = models.CharField(max_length=10, choices=Stance.choices, default=Stance.SUPPORTS)
    actors = models.ManyToManyField(
        Actor,
        blank=True,
        related_name="evidence_stances",
        help_text="The actors taking this stance (e.g. the ones who dispute the claim).",
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[actors])

    class Meta:
        ordering = ["claim", "stance", "passage__source", "passage__start"]
        verbose_name_plural = "evidence"
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "passage"], name="evidence_unique_claim_passage"
            ),
        ]
        indexes = [models.Index(fields=["claim", "stance"], name="evidence_claim_stance")]

    def __str__(self):
        return f"{self.get_stance_display()}: {self.passage}"

    def clean(self):
        """The same words never back a claim twice with one stance (claims/quotes.py)."""
        from claims.quotes import overlap_message, overlapping_evidence

        if not (self.claim_id and self.passage_id):
            return
        if self.pk:
            saved = Evidence.objects.filter(pk=self.pk).values_list("claim", "passage", "stance")
            if saved.first() == (self.claim_id, self.passage_id, self.stance):
                return  # unchanged: saving the claim never trips over rows from before the rule
        p = self.passage
        existing = overlapping_evidence(
            self.claim_id, p.source_id, p.start, p.end, self.stance, exclude_pk=self.pk
        )
        if existing is not None:
            # Not keyed to "passage": the claim form's evidence rows pick it by quote instead.
            raise ValidationError(overlap_message(existing, p.start, p.end))


class ReviewMark(models.Model):
    """Who wrote, or approved, one version of a claim's content (claims/publishing.py).

    `fingerprint` is the hash of the claim's content at that version. Marks outlive the claim
    row (no database constraint, nothing cascades), so a claim restored from the history still
    knows who wrote and who approved it."""

    class Kind(models.TextChoices):
        WROTE = "wrote", "Wrote or changed"
        APPROVED = "approved", "Approved"

    claim = models.ForeignKey(
        Claim, on_delete=models.DO_NOTHING, db_constraint=False, related_name="review_marks"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "kind", "user", "fingerprint"], name="review_mark_unique"
            ),
        ]

    def __str__(self):
        return f"{self.user} {self.get_kind_display().lower()} claim #{self.claim_id}"


from claims.changes import Change  # noqa: E402, F401 (the changes feed's model, claims/changes.py)
