"""Fill an empty database with a synthetic knowledge base, for benchmarks and load tests.

Deterministic for a seed: the same `--claims` and `--seed` give the same rows. It refuses to
write into a database that already holds sources, actors, events, claims or tags, because the
generated names and slugs assume they are alone.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from claims.bulk import NotEmpty, analyze, generate_kb
from claims.generation import sizes


class Command(BaseCommand):
    help = "Generate a deterministic synthetic knowledge base of --claims claims (bulk inserts)."

    def add_arguments(self, parser):
        parser.add_argument("--claims", type=int, required=True, help="How many claims.")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same rows.")

    def handle(self, *args, claims, seed, verbosity, **options):
        if claims < 1:
            raise CommandError("--claims must be at least 1.")
        started = time.monotonic()
        total = sizes(claims)["claims"]

        def progress(counts):
            if verbosity >= 2:
                self.stdout.write(
                    f"  {counts['claim']:,}/{total:,} claims ({time.monotonic() - started:.0f} s)"
                )

        try:
            counts = generate_kb(claims, seed=seed, progress=progress)
        except NotEmpty as exc:
            raise CommandError(
                f"The database already holds a knowledge base ({exc}); "
                "generate_kb only fills an empty one (use a fresh database)."
            ) from exc
        analyze()
        seconds = time.monotonic() - started
        if verbosity >= 1:
            summary = ", ".join(f"{n:,} {table}" for table, n in counts.items())
            self.stdout.write(
                self.style.SUCCESS(
                    f"Generated {counts['claim']:,} claims in {seconds:.1f} s "
                    f"({counts['claim'] / seconds:,.0f} claims/s): {summary}."
                )
            )
