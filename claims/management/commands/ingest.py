"""Ingest article files: each becomes a source with passages and draft claims for review.

Each file is one transaction: a file that fails leaves the database as it was and the others
go on. Extraction proposes drafts only; nothing is published by this command.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, OperationalError

from claims.bulk import refresh_statistics
from claims.ingest.progress import Progress
from claims.ingest.reading import IngestError, expand_paths, parse_date, read_article
from claims.ingest.writer import ingest_article, load_gazetteer, tune_for_ingest


def validation_message(exc):
    messages = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
    return "; ".join(
        f"{name}: {' '.join(msgs)}" if name and name != "__all__" else " ".join(msgs)
        for name, msgs in messages.items()
    )


# What can go wrong with one article, the command and the admin alike. Each leaves the database
# as it was: a DatabaseError rolled its transaction back, and the next article gets a fresh one.
FAILURES = (IngestError, ValidationError, DatabaseError)


def lock_timeout_message():
    waited = settings.DATABASES["default"].get("OPTIONS", {}).get("timeout", 5)
    return (
        f"the database stayed busy with another writer for more than {waited:g} s "
        "(SQLITE_BUSY_TIMEOUT); nothing of it was stored: run the command again, or raise "
        "SQLITE_BUSY_TIMEOUT"
    )


def is_lock_timeout(exc):
    return isinstance(exc, OperationalError) and "database is locked" in str(exc)


def failure_reason(exc):
    """One line saying why an article (one of FAILURES) was not ingested."""
    if isinstance(exc, ValidationError):
        return validation_message(exc)
    if is_lock_timeout(exc):
        return lock_timeout_message()
    if isinstance(exc, DatabaseError):
        return f"the database refused it: {' '.join(str(exc).split())}"
    return str(exc)


class Command(BaseCommand):
    help = "Ingest .txt, .md and .html articles (files or folders) as sources with draft claims."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Article files or folders of them.")
        parser.add_argument("--title", default="", help="Default: front matter, else line 1.")
        parser.add_argument("--url", default="")
        parser.add_argument("--publisher", default="")
        parser.add_argument("--published", default="", help="Publication date, YYYY-MM-DD.")
        parser.add_argument(
            "--strict-encoding",
            action="store_true",
            help="Refuse files that are not UTF-8 instead of reading them as Windows-1252.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Read and extract; write nothing."
        )

    def handle(self, *args, **options):
        try:
            self._ingest(**options)
        except OperationalError as exc:
            if not is_lock_timeout(exc):
                raise
            raise CommandError(lock_timeout_message()) from None

    def _ingest(self, *, paths, strict_encoding, dry_run, verbosity, **options):
        overrides = {k: options[k] for k in ("title", "url", "publisher", "published")}
        try:
            parse_date(overrides["published"])
        except IngestError as exc:
            raise CommandError(f"--published: {exc}") from None
        files = list(expand_paths(paths))
        if not files:
            raise CommandError("No article files found (.txt, .md, .html).")
        tune_for_ingest()
        gazetteer = load_gazetteer()
        progress = Progress(self.stdout, len(files))
        counts = {"added": 0, "unchanged": 0, "failed": 0}
        for path in files:
            outcome, line = self._one(path, overrides, gazetteer, strict_encoding, dry_run)
            counts[outcome] += 1
            progress.step(failed=outcome == "failed")
            if outcome == "failed":
                self.stderr.write(f"{path}: {line}")
            elif verbosity >= 1 and not progress.enabled:
                self.stdout.write(f"{path}: {line}")
        progress.close()
        if counts["added"] and not dry_run:
            refresh_statistics()
        prefix = "Dry run: " if dry_run else ""
        summary = (
            f"{prefix}{len(files)} file(s): {counts['added']} added, "
            f"{counts['unchanged']} already ingested, {counts['failed']} failed."
        )
        if counts["failed"]:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))

    def _one(self, path, overrides, gazetteer, strict_encoding, dry_run):
        try:
            article = read_article(path, overrides=overrides, allow_cp1252=not strict_encoding)
            result = ingest_article(article, gazetteer, dry_run=dry_run)
        except FAILURES as exc:
            return "failed", failure_reason(exc)
        notes = "".join(f" (warning: {w})" for w in result.warnings)
        return ("added" if result.created else "unchanged"), result.summary() + notes
