"""The timeline of events: data for `templates/claims/_timeline.html` (server-side SVG).

The seed mixes the Korean War (1950–1953) and the Cold War with a visit on 18–19 June 2024: on one
linear axis the visit would be a hair. So the axis is broken at its largest empty stretches and
each piece ("segment") gets its own linear scale, wide enough to read. An event is drawn over the
whole span its precision covers (`Event.date_range`: "2000" is the year, "June 2024" the month).

`build()` runs one query; `layout()` is pure (events in, geometry out) so it is easy to test.
"""

import calendar
import datetime
from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, ExpressionWrapper, Q

from claims import public
from claims.models import Claim

MAX_EVENTS = 40  # the events with the most claims; the claim list has the rest
MAX_BREAKS = 4  # at most five segments
MIN_GAP_DAYS = 90  # an empty stretch shorter than this stays on the axis
MIN_SPAN_DAYS = 14  # a one-day segment is shown as two weeks around it

WIDTH = 260  # viewBox width of a segment; CSS lets it grow to about this many pixels
PAD = 12
ROW = 50
AXIS = 26
TITLE_CHARS = 34  # about what fits in WIDTH at the label size; the full title is in <title>


@dataclass
class Bar:
    event: object
    claims: int
    x: float
    width: float
    y: float
    text_x: float
    text_anchor: str
    current: bool
    short_title: str

    @property
    def title_y(self):
        return self.y + 13

    @property
    def bar_y(self):
        return self.y + 19

    @property
    def meta_y(self):
        return self.y + 41

    @property
    def precision(self):
        return self.event.date_precision


@dataclass
class Segment:
    start: datetime.date
    end: datetime.date
    label: str
    bars: list = field(default_factory=list)
    ticks: list = field(default_factory=list)  # (x, label)
    height: float = 0
    gap_before: str = ""  # "8 years later": the break drawn before this segment
    width: int = WIDTH

    @property
    def axis_y(self):
        return self.height - AXIS


@dataclass
class Timeline:
    segments: list
    rows: list  # (event, claims, current) in date order, undated last: the table
    limited: bool

    def __bool__(self):
        return bool(self.rows)


def events_with_counts(current=None):
    """Public events with their number of published claims (one query): the MAX_EVENTS with the
    most claims, and always `current` (an event's own page shows it on the timeline)."""
    published = Q(claims__status=Claim.Status.PUBLISHED)
    is_current = ExpressionWrapper(Q(pk=getattr(current, "pk", None)), BooleanField())
    return list(
        public.events()
        .annotate(n_claims=Count("claims", filter=published), is_current=is_current)
        .order_by("-is_current", "-n_claims", "start_date", "title")[: MAX_EVENTS + 1]
    )


def build(current=None):
    events = events_with_counts(current)
    return layout(events[:MAX_EVENTS], current, limited=len(events) > MAX_EVENTS)


def layout(events, current=None, limited=False):
    """Segments of bars for `events` (each with `n_claims`); `current` is highlighted."""
    current_pk = getattr(current, "pk", None)
    dated = sorted(
        (e for e in events if e.start_date), key=lambda e: (e.date_range[0], e.title.lower())
    )
    undated = [e for e in events if not e.start_date]
    rows = [(e, e.n_claims, current_pk is not None and e.pk == current_pk) for e in dated + undated]
    segments = []
    for group in _groups(dated):
        segments.append(_segment(group, current_pk))
    for before, segment in zip(segments, segments[1:], strict=False):
        segment.gap_before = _gap_label(before.end, segment.start)
    return Timeline(segments, rows, limited)


def _groups(events):
    """Events split at the largest gaps (at most MAX_BREAKS, each at least MIN_GAP_DAYS)."""
    if not events:
        return []
    clusters = []  # [first day, last day, events]: overlapping spans merged
    for event in events:
        lo, hi = event.date_range
        if clusters and lo <= clusters[-1][1] + datetime.timedelta(days=1):
            clusters[-1][1] = max(clusters[-1][1], hi)
            clusters[-1][2].append(event)
        else:
            clusters.append([lo, hi, [event]])
    gaps = [(clusters[i + 1][0] - clusters[i][1]).days for i in range(len(clusters) - 1)]
    widest = sorted(
        (i for i, gap in enumerate(gaps) if gap >= MIN_GAP_DAYS), key=lambda i: -gaps[i]
    )
    breaks = set(widest[:MAX_BREAKS])
    groups, current = [], []
    for i, cluster in enumerate(clusters):
        current += cluster[2]
        if i in breaks:
            groups.append(current)
            current = []
    groups.append(current)
    return groups


def _segment(events, current_pk):
    lo = min(e.date_range[0] for e in events)
    hi = max(e.date_range[1] for e in events)
    label = _span_label(lo, hi)
    span = (hi - lo).days + 1
    if span < MIN_SPAN_DAYS:
        lo -= datetime.timedelta(days=(MIN_SPAN_DAYS - span) // 2)
        hi = lo + datetime.timedelta(days=MIN_SPAN_DAYS - 1)
    # a little air on both sides, so a bar does not touch the frame
    margin = datetime.timedelta(days=max(1, ((hi - lo).days + 1) // 30))
    view_lo, view_hi = lo - margin, hi + margin + datetime.timedelta(days=1)
    total = (view_hi - view_lo).days
    inner = WIDTH - 2 * PAD

    def x(day):
        return round(PAD + inner * (day - view_lo).days / total, 1)

    segment = Segment(lo, hi, label)
    for i, event in enumerate(events):
        first, last = event.date_range
        x1, x2 = x(first), x(last + datetime.timedelta(days=1))
        width = max(x2 - x1, 3)
        short = event.title if len(event.title) <= TITLE_CHARS else event.title[: TITLE_CHARS - 1]
        short = short.rstrip() + ("…" if short != event.title else "")
        # the label starts at the bar, unless it would run out of the frame
        text_width = 6.5 * max(len(short), 18)
        if x1 + text_width <= WIDTH - PAD:
            text_x, anchor = x1, "start"
        elif x2 - text_width >= PAD:
            text_x, anchor = x2, "end"
        else:
            text_x, anchor = PAD, "start"
        segment.bars.append(
            Bar(
                event,
                event.n_claims,
                x1,
                round(width, 1),
                i * ROW + 8,
                text_x,
                anchor,
                current_pk is not None and event.pk == current_pk,
                short,
            )
        )
    segment.height = len(events) * ROW + 8 + AXIS
    segment.ticks = [(x(day), text) for day, text in _ticks(view_lo, view_hi)]
    return segment


def _span_label(lo, hi):
    """The segment's heading, as precise as its ends: "1947–1991", "2000", "June 2024"."""
    if lo.year != hi.year:
        return f"{lo.year}–{hi.year}"
    if (lo.month, lo.day, hi.month, hi.day) == (1, 1, 12, 31):
        return str(lo.year)
    if lo.month != hi.month:
        return f"{calendar.month_name[lo.month]}–{calendar.month_name[hi.month]} {lo.year}"
    return f"{calendar.month_name[lo.month]} {lo.year}"


def _gap_label(before, after):
    days = (after - before).days
    if days >= 365:
        years = round(days / 365.25)
        return f"{years} year{'s' if years != 1 else ''} later"
    months = max(1, round(days / 30.4))
    return f"{months} month{'s' if months != 1 else ''} later"


def _ticks(lo, hi):
    """About five labelled ticks: years, months or days depending on the span."""
    days = (hi - lo).days
    if days > 3 * 365:
        years = hi.year - lo.year
        step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500) if years / s <= 5)
        first = (lo.year // step + 1) * step
        return [
            (datetime.date(year, 1, 1), str(year))
            for year in range(first, hi.year + 1, step)
            if lo <= datetime.date(year, 1, 1) <= hi
        ]
    if days > 62:
        months = (hi.year - lo.year) * 12 + hi.month - lo.month
        step = next(s for s in (1, 2, 3, 6, 12) if months / s <= 5)
        out, year, month = [], lo.year, lo.month
        while True:
            month += 1
            if month > 12:
                year, month = year + 1, 1
            day = datetime.date(year, month, 1)
            if day > hi:
                return out
            if (month - 1) % step == 0:
                text = str(year) if month == 1 else calendar.month_abbr[month]
                out.append((day, text))
    step = next(s for s in (1, 2, 5, 7, 10, 15) if days / s <= 5)
    ticks = [lo + datetime.timedelta(days=k * step) for k in range(1, days // step + 1)]
    return [(day, f"{day.day} {calendar.month_abbr[day.month]}") for day in ticks if day <= hi]
