"""Load a bundle written by `export_kb` into this database (empty or not).

The whole file is checked first and then written in one transaction: a truncated, malformed,
foreign or wrong-version file, or one that clashes with this database, changes nothing and the
command says what is wrong. Rows already present (same natural key) are kept as they are, so
importing twice creates nothing new. Published claims stay published only with `--user` naming
someone who may publish them; otherwise they come in as in review, and the command says so.
"""

from django.core.management.base import BaseCommand, CommandError

from claims import publishing
from claims.bundle import BundleError, check_bundle, import_bundle


class Command(BaseCommand):
    help = "Import a knowledge-base bundle (see docs/bundle-format.md)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the bundle to read")
        parser.add_argument(
            "--dry-run", action="store_true", help="only check the file; write nothing"
        )
        parser.add_argument(
            "--user",
            default="",
            help="who imports: published claims stay published only if this user may publish "
            "them (a Reviewer); without it they are imported as in review",
        )

    def handle(self, *args, file, dry_run=False, user="", **options):
        try:
            publisher = publishing.publisher(user)
        except ValueError as error:
            raise CommandError(f"--user: {error} Nothing was imported.") from None
        try:
            if dry_run:
                counts = check_bundle(file)
                summary = ", ".join(f"{n:,} {kind}s" for kind, n in counts.items())
                self.stdout.write(f"{file} is a valid bundle: {summary}. Nothing written.")
                return
            result = import_bundle(file, publisher)
        except BundleError as error:
            raise CommandError(f"{error} Nothing was imported.") from None
        created = ", ".join(f"{n:,} {kind}" for kind, n in result.created.items() if n)
        kept = ", ".join(f"{n:,} {kind}" for kind, n in result.kept.items() if n)
        if options["verbosity"] >= 1:
            self.stdout.write(f"Imported {file}: created {created or 'nothing'}.")
            if kept:
                self.stdout.write(f"Already present, kept as they were: {kept}.")
            for line in result.renamed:
                self.stdout.write(f"Renamed (slug taken here): {line}.")
        for line in publishing.held_lines(result.held, publisher):
            self.stdout.write(line)
