"""Load the seed knowledge base (`seeds/`): the articles plus the curated annotations.

Idempotent: a second run creates nothing and says so. If any quote cannot be placed in its
article, every problem is listed and nothing is written.
"""

from django.core.management.base import BaseCommand, CommandError

from claims.seeding import SEEDS_DIR, SeedError, load_seeds


class Command(BaseCommand):
    help = "Load the seed articles and curated annotations from seeds/ (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--seeds-dir", default=SEEDS_DIR, help="Folder with annotations.json.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; write nothing."
        )

    def handle(self, *args, seeds_dir, dry_run, verbosity, **options):
        try:
            report = load_seeds(seeds_dir, dry_run=dry_run)
        except SeedError as exc:
            raise CommandError(
                f"{len(exc.problems)} problem(s) in the seeds; nothing was written:\n"
                + "\n".join(f"  - {p}" for p in exc.problems)
            ) from exc
        if verbosity >= 2:
            for line in report.lines():
                self.stdout.write(f"  {line}")
        prefix = "Dry run: " if dry_run else ""
        if report.changed:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{prefix}Seed knowledge base loaded ({report.changed} changes)."
                )
            )
        else:
            self.stdout.write(f"{prefix}Seed knowledge base already up to date: nothing to change.")
