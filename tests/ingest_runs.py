"""Ingest runs in other processes: distinct articles to feed them, and a check that what they
stored is whole. Shared by the ingest reliability and concurrent-writer tests."""

from claims.segmentation import segments
from tests.subprocesses import PROJECT_DIR, query

SEEDS = sorted((PROJECT_DIR / "seeds").glob("*.txt"))


def write_articles(folder, n):
    """`n` distinct articles (seed text plus a numbered closing paragraph)."""
    folder.mkdir()
    bodies = [path.read_text(encoding="utf-8") for path in SEEDS]
    for i in range(n):
        text = (
            bodies[i % len(bodies)].rstrip("\n") + f"\n\nClosing note number {i} for this copy.\n"
        )
        (folder / f"article_{i:03}.txt").write_text(f"---\ntitle: Article {i:03}\n---\n{text}")
    return folder


def stored_sources(url):
    return query(url, "SELECT id, text, title FROM claims_source ORDER BY id")


def _passage_counts(url):
    rows = query(
        url,
        "SELECT source_id, count(*) FROM claims_passage "
        "WHERE kind IN ('heading', 'paragraph', 'sentence') GROUP BY source_id",
    )
    return dict(rows)


def _claim_counts(url):
    rows = query(
        url,
        "SELECT p.source_id, count(DISTINCT e.claim_id) FROM claims_evidence e "
        "JOIN claims_passage p ON p.id = e.passage_id GROUP BY p.source_id",
    )
    return dict(rows)


def assert_complete(url):
    """Every source has all its segment passages and its draft claims: nothing half-written."""
    stored = stored_sources(url)
    passages, claims = _passage_counts(url), _claim_counts(url)
    for source_id, text, title in stored:
        assert passages.get(source_id, 0) == len(segments(text)), title
        assert claims.get(source_id, 0) > 0, title
    return stored
