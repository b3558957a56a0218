"""Measure extraction on the seed articles against the curated annotations.

Prints precision and recall for claims (by overlapping passage), disputes and actors, and
exits non-zero when a figure misses its target, so a rule change that hurts quality shows.
"""

from django.core.management.base import BaseCommand, CommandError

from claims.ingest.quality import measure
from claims.seeding import SEEDS_DIR


class Command(BaseCommand):
    help = "Compare extraction on the seed articles with seeds/annotations.json."

    def add_arguments(self, parser):
        parser.add_argument("--seeds-dir", default=SEEDS_DIR, help="Folder with annotations.json.")

    def handle(self, *args, seeds_dir, **options):
        figures, missed_actors = measure(seeds_dir)
        self.stdout.write(f"{'figure':<18}{'found':>7}{'of':>5}{'value':>8}{'target':>8}  result")
        for f in figures:
            target = f"{f.target:.2f}" if f.target is not None else "-"
            verdict = "pass" if f.passed else "FAIL"
            self.stdout.write(
                f"{f.name:<18}{f.found:>7}{f.total:>5}{f.value:>8.2f}{target:>8}  {verdict}"
            )
        if missed_actors:
            self.stdout.write(f"actors not found: {', '.join(missed_actors)}")
        failed = [f.name for f in figures if not f.passed]
        if failed:
            raise CommandError(f"Below target: {', '.join(failed)}.")
