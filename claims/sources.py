"""Store an article as a Source with its heading, paragraph and sentence passages."""

from django.db import transaction

from claims.anchoring import context_around
from claims.ingest.rows import insert_rows
from claims.models import Passage, Source
from claims.segmentation import segments
from claims.text import content_hash


def store_source(text, *, title, segmented=None, **fields):
    """Return (source, created). `text` must already be normalized; same text → same Source.

    `segmented` is segmentation.segments(text) when the caller already has it.
    """
    existing = Source.objects.filter(content_hash=content_hash(text)).first()
    if existing:
        return existing, False
    with transaction.atomic():
        source = Source(text=text, title=title, **fields)
        source.full_clean()
        source.save()
        create_segment_passages(source, segmented)
    return source, True


def create_segment_passages(source, segmented=None):
    """Headings, paragraphs and sentences in two multi-row inserts; a repeat points to its first.

    Returns the new passage ids in segment order. Offsets come from segmentation of this very
    text, so `text == source.text[start:end]` holds by construction (and the database checks
    lengths). No history rows: these passages are a pure function of the source's immutable
    text, and history starts with the first change an analyst makes.
    """
    text = source.text
    segmented = segments(text) if segmented is None else segmented
    columns = ("source_id", "start", "end", "text", "prefix", "suffix", "kind", "repeat_of_id")
    ids = [None] * len(segmented)

    def row(seg, repeat_of_id):
        prefix, suffix = context_around(text, seg.start, seg.end)
        return (
            source.pk,
            seg.start,
            seg.end,
            text[seg.start : seg.end],
            prefix,
            suffix,
            seg.kind,
            repeat_of_id,
        )

    firsts = [i for i, seg in enumerate(segmented) if seg.repeat_of is None]
    new = insert_rows(Passage, columns, [row(segmented[i], None) for i in firsts])
    for i, pk in zip(firsts, new, strict=True):
        ids[i] = pk
    repeats = [i for i, seg in enumerate(segmented) if seg.repeat_of is not None]
    rows = [row(segmented[i], ids[segmented[i].repeat_of]) for i in repeats]
    for i, pk in zip(repeats, insert_rows(Passage, columns, rows), strict=True):
        ids[i] = pk
    return ids
