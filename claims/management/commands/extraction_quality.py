"""Measure extraction: on gold sets of real articles, and on the seeds' curated annotations.

Gold sets (docs/extraction-gold.md) are ingested through the real pipeline into a throwaway
database (claims/ingest/evaluation.py) and scored per article and in total
(claims/ingest/scoring.py). The seeds are also measured as before, extraction alone with the
annotations' actors as gazetteer (claims/ingest/quality.py). Exits non-zero when a figure is
below its target, unless --report-only.
"""

from django.core.management.base import BaseCommand, CommandError

from claims.ingest.evaluation import EvaluationError, drafts_in_fresh_database
from claims.ingest.gold import DEFAULT_SETS, GoldError, read_gold_sets
from claims.ingest.quality import measure
from claims.ingest.scoring import MEASURES, SHORT_NAMES, TARGETS, score, total
from claims.seeding import SEEDS_DIR

_COLUMNS = {measure: short for short, measure in SHORT_NAMES.items()}


def parse_target(value):
    name, sep, number = value.partition("=")
    try:
        if not sep or name.strip() not in SHORT_NAMES:
            raise ValueError
        return SHORT_NAMES[name.strip()], float(number)
    except ValueError:
        raise CommandError(
            f"--target {value!r}: expected NAME=NUMBER, NAME one of {', '.join(SHORT_NAMES)}"
        ) from None


class Command(BaseCommand):
    help = "Measure extraction on gold sets of real articles and on the seed annotations."

    def add_arguments(self, parser):
        parser.add_argument(
            "--gold",
            action="append",
            metavar="DIR",
            help="A gold set folder (repeatable). Default: the dev set and the seeds.",
        )
        parser.add_argument("--details", action="store_true", help="List every miss.")
        parser.add_argument(
            "--target",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help=f"Override a target ({', '.join(SHORT_NAMES)}), e.g. recall=0.9.",
        )
        parser.add_argument(
            "--report-only", action="store_true", help="Print the figures; never fail on them."
        )
        parser.add_argument("--seeds-dir", default=SEEDS_DIR, help="Folder with annotations.json.")

    def handle(self, *args, gold, details, target, report_only, seeds_dir, **options):
        targets = {**TARGETS, **dict(parse_target(t) for t in target)}
        failed = self._seed_annotations(seeds_dir)
        try:
            articles = read_gold_sets(gold or DEFAULT_SETS)
            drafts = drafts_in_fresh_database(articles)
        except GoldError as exc:
            raise CommandError("Gold set refused:\n" + "\n".join(exc.problems)) from None
        except EvaluationError as exc:
            raise CommandError(str(exc)) from None
        scores = [score(a, drafts[a.name]) for a in articles]
        overall = total(scores)
        self._table(scores, overall, targets)
        if details:
            self._details(scores)
        failed += [f"gold {m}" for m in overall.below(targets)]
        if failed and not report_only:
            raise CommandError(f"Below target: {', '.join(failed)}.")

    def _seed_annotations(self, seeds_dir):
        figures, missed_actors = measure(seeds_dir)
        self.stdout.write("Seeds against annotations.json (annotation actors as gazetteer):")
        self.stdout.write(f"{'figure':<18}{'found':>7}{'of':>5}{'value':>8}{'target':>8}  result")
        for f in figures:
            target = f"{f.target:.2f}" if f.target is not None else "-"
            verdict = "pass" if f.passed else "FAIL"
            self.stdout.write(
                f"{f.name:<18}{f.found:>7}{f.total:>5}{f.value:>8.2f}{target:>8}  {verdict}"
            )
        if missed_actors:
            self.stdout.write(f"actors not found: {', '.join(missed_actors)}")
        return [f"seeds {f.name}" for f in figures if not f.passed]

    def _table(self, scores, overall, targets):
        width = max([len(s.name) for s in scores] + [7]) + 2
        self.stdout.write("")
        self.stdout.write(f"Gold sets, ingested into a fresh database ({len(scores)} articles):")
        self.stdout.write(f"{'article':<{width}}" + "".join(f"{_COLUMNS[m]:>14}" for m in MEASURES))
        for s in scores:
            cells = (f"{s.counts[m].found}/{s.counts[m].total}" for m in MEASURES)
            self.stdout.write(f"{s.name:<{width}}" + "".join(f"{c:>14}" for c in cells))
        cells = []
        for m in MEASURES:
            c = overall.counts[m]
            value = "-" if c.value is None else f"{c.value:.2f}"
            cells.append(f"{value} {c.found}/{c.total}")
        self.stdout.write(f"{'total':<{width}}" + "".join(f"{c:>14}" for c in cells))
        self.stdout.write(
            f"{'target':<{width}}" + "".join(f"{targets[m]:>14.2f}" for m in MEASURES)
        )
        verdicts = ("FAIL" if m in overall.below(targets) else "pass" for m in MEASURES)
        self.stdout.write(f"{'result':<{width}}" + "".join(f"{v:>14}" for v in verdicts))

    def _details(self, scores):
        for s in scores:
            if not s.misses:
                continue
            self.stdout.write("")
            self.stdout.write(s.name)
            for miss in s.misses:
                self.stdout.write(f"  {miss.kind:<16} {miss.text}")
