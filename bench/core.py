"""The harness's shared pieces: the run context, one result row, discovery and the table.

Every benchmark module `bench/bench_<area>.py` exposes `run(ctx) -> list[Result]`. A figure is
always judged as a ratio against a reference measured in the same run on the same machine, so
the table means the same on a laptop and in CI; absolute figures are shown beside it.
"""

import importlib
import pkgutil
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
QUICK_CLAIMS = 1000


@dataclass
class Context:
    db: str  # "sqlite" or "postgres"
    claims: int
    quick: bool
    database_url: str  # a database already filled by `generate_kb --claims <claims>`
    env: dict  # os.environ with DATABASE_URL set, for subprocesses
    workdir: Path  # a temporary folder for this run
    seed: int = 1
    notes: dict = field(default_factory=dict)  # set-up facts (e.g. generation seconds)


@dataclass
class Result:
    benchmark: str
    size: int
    database: str
    figure: float
    reference: float
    ratio: float
    target: str  # "≤ 2.0" (ratio at most) or "≥ 0.5" (ratio at least)
    passed: bool
    unit: str = ""

    @classmethod
    def compare(cls, ctx, benchmark, figure, reference, unit="", at_most=None, at_least=None):
        """A row whose ratio is figure / reference, passing when within the bound given."""
        ratio = figure / reference if reference else float("inf")
        if at_most is not None:
            target, passed = f"≤ {at_most:g}", ratio <= at_most
        elif at_least is not None:
            target, passed = f"≥ {at_least:g}", ratio >= at_least
        else:
            target, passed = "—", True
        return cls(benchmark, ctx.claims, ctx.db, figure, reference, ratio, target, passed, unit)

    @classmethod
    def count(cls, ctx, benchmark, figure, unit="", at_most=None):
        """A machine-independent count (queries, bytes, rows) with an absolute bound."""
        target = f"≤ {at_most:g}" if at_most is not None else "—"
        passed = at_most is None or figure <= at_most
        return cls(
            benchmark, ctx.claims, ctx.db, figure, float("nan"), float("nan"), target, passed, unit
        )


def discover():
    """Benchmark module names (`generate` for bench/bench_generate.py), sorted."""
    return sorted(
        info.name.removeprefix("bench_")
        for info in pkgutil.iter_modules([str(BENCH_DIR)])
        if info.name.startswith("bench_")
    )


def load(name):
    return importlib.import_module(f"bench.bench_{name}")


def _number(value, unit=""):
    if value != value:  # NaN: no reference for a count
        return "—"
    if abs(value) >= 100 or value == int(value):
        text = f"{value:,.0f}"
    elif abs(value) >= 1:
        text = f"{value:.2f}"
    else:
        text = f"{value:.3g}"
    return f"{text} {unit}".rstrip()


HEADER = ("benchmark", "size", "database", "figure", "reference", "ratio", "target", "pass/fail")


def table(results):
    """One Markdown table (readable in a terminal, pasteable into docs/performance.md)."""
    rows = [HEADER]
    for r in results:
        ratio = "—" if r.ratio != r.ratio else f"{r.ratio:.2f}"
        verdict = "pass" if r.passed else "FAIL"
        rows.append(
            (
                r.benchmark,
                f"{r.size:,}",
                r.database,
                _number(r.figure, r.unit),
                _number(r.reference, r.unit),
                ratio,
                r.target,
                verdict,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
        for row in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)
