"""Load the seed knowledge base (`seeds/`): the articles plus the curated annotations.

Idempotent: a second run creates nothing and says so. If any quote cannot be placed in its
article, every problem is listed and nothing is written. Claims the annotations mark as
published are published only with `--user` naming someone who may publish; otherwise they wait
in review, and the command says so.
"""

from django.core.management.base import BaseCommand, CommandError

from claims import publishing
from claims.seeding import SEEDS_DIR, SeedError, load_seeds


class Command(BaseCommand):
    help = "Load the seed articles and curated annotations from seeds/ (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--seeds-dir", default=SEEDS_DIR, help="Folder with annotations.json.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; write nothing."
        )
        parser.add_argument(
            "--user",
            default="",
            help="Who loads the seeds: published claims are published only if this user may "
            "publish them (a Reviewer); without it they wait in review.",
        )

    def handle(self, *args, seeds_dir, dry_run, verbosity, user, **options):
        try:
            publisher = publishing.publisher(user)
        except ValueError as exc:
            raise CommandError(f"--user: {exc} Nothing was written.") from None
        try:
            report = load_seeds(seeds_dir, dry_run=dry_run, publisher=publisher)
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
        for line in publishing.held_lines(report.held, publisher):
            self.stdout.write(line)
        for claim, reason in report.sent_back.items():
            self.stdout.write(f"“{claim}” went back to review: {reason}.")
