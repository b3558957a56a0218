"""Ingest speed and memory: articles of ~8 KB per second through the whole pipeline, one core.

The pipeline (read, decode, normalize, segment, extract, write in one transaction per article)
runs in a child process on a fresh database so the harness's database is left alone. The
reference is reading and decoding the same files without the pipeline, in the same run.
Memory: the child's resident set size after a warm-up and at the end must stay flat.

    python -m bench.bench_ingest --articles 500        # standalone, prints the figures
"""

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def word_list(words):
    return words.split()


ROOT = Path(__file__).resolve().parent.parent
# Issue 16 let the extractor spend more per article: at least 20 articles per CPU-second.
TARGET_PER_SECOND = 20
ARTICLE_BYTES = 8 * 1024
FIRST_NAMES = word_list("Anna Boris Chen Dmitri Elena Farid Grace Hiro Ivan Jae")
LAST_NAMES = word_list("Kovacs Lim Moreau Novak Ortiz Park Quinn Rossi Sato Tanaka")
TITLES = ["Foreign Minister", "Defense Minister", "Ambassador", "Spokesman", "President"]


def seed_sentences():
    import re

    sentences = []
    for path in sorted((ROOT / "seeds").glob("0*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            sentences += [s for s in re.split(r"(?<=[.!?])\s+", line.strip()) if len(s) > 40]
    return sentences


def write_articles(folder, count, seed=7):
    """`count` distinct articles of about 8 KB: seed sentences recombined, new names mixed in."""
    rng = random.Random(seed)
    pool = seed_sentences()
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        lines, size = [f"Dispatch {n}: {rng.choice(pool)[:60]}"], 0
        while size < ARTICLE_BYTES:
            paragraph = " ".join(rng.choice(pool) for _ in range(rng.randint(2, 5)))
            if rng.random() < 0.3:
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                paragraph += f" {rng.choice(TITLES)} {name} said the talks were useful."
            lines.append(paragraph)
            size += len(paragraph.encode()) + 1
        (folder / f"article-{n:05d}.txt").write_text("\n".join(lines), encoding="utf-8")


def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def worker(folder, warmup):
    """In the child: migrate a fresh database, then time the reference and the pipeline."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from claims.ingest.reading import read_article
    from claims.ingest.writer import ingest_article, load_gazetteer, tune_for_ingest
    from claims.seeding import load_seeds

    # The articles are made of seed sentences: the gazetteer must know the seed actors (a
    # generated knowledge base alone names none of them, and far fewer claims would be found).
    load_seeds()
    files = sorted(Path(folder).glob("*.txt"))
    started = time.process_time()
    for path in files:
        path.read_bytes().decode("utf-8")
    reference = len(files) / max(time.process_time() - started, 1e-9)

    tune_for_ingest()
    gazetteer = load_gazetteer()
    rss_warm = None
    started, wall = time.process_time(), time.perf_counter()
    for i, path in enumerate(files, 1):
        ingest_article(read_article(path), gazetteer)
        if i == warmup:
            rss_warm = rss_mb()
    cpu, wall = time.process_time() - started, time.perf_counter() - wall
    print(
        json.dumps(
            {
                "articles": len(files),
                # CPU seconds of this one process: "on one core", whatever else the host runs.
                "per_second": len(files) / cpu,
                "per_wall_second": len(files) / wall,
                "reference": reference,
                "rss_warm": rss_warm or rss_mb(),
                "rss_end": rss_mb(),
                "max_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def measure(count, env=None, workdir=None, copy_of=None):
    """Figures from a child process; `copy_of` is a SQLite file to start from (copied)."""
    workdir = Path(workdir or tempfile.mkdtemp(prefix="bench-ingest-"))
    folder = workdir / "articles"
    write_articles(folder, count)
    database = workdir / "ingest.sqlite3"
    if copy_of:
        shutil.copyfile(copy_of, database)
    child_env = dict(env or os.environ)
    child_env.update(
        DATABASE_URL=f"sqlite:///{database}",
        DEBUG="0",
        SECRET_KEY="bench-only-not-secret",
        ALLOWED_HOSTS="localhost",
    )
    warmup = max(1, min(1000, count // 10))
    out = subprocess.run(
        [sys.executable, "-m", "bench.bench_ingest", "--worker", str(folder), str(warmup)],
        cwd=ROOT,
        env=child_env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(ctx):
    """On a SQLite file in ctx.workdir (a copy of the harness's SQLite database when there is
    one): ingest writes, and the harness's database must stay as generated."""
    from bench.core import Result

    count = 20 if ctx.quick else 10_000
    source = ctx.database_url.removeprefix("sqlite:///") if ctx.db == "sqlite" else None
    figures = measure(count, env=ctx.env, workdir=ctx.workdir, copy_of=source)
    per_second = figures["per_second"]
    return [
        # The target is absolute (issue 16: ≥ 20 articles/s on one core), so the ratio is
        # against it: 1.00 means on target. CPU time of the ingesting process, not wall time.
        Result(
            benchmark="ingest: 8 KB articles per CPU-second, vs the target",
            size=count,
            database="sqlite",
            figure=round(per_second, 1),
            reference=TARGET_PER_SECOND,
            ratio=per_second / TARGET_PER_SECOND,
            target="≥ 1",
            passed=per_second >= TARGET_PER_SECOND,
            unit="articles/s",
        ),
        # The reference measured in the same run: reading and decoding the same files only.
        # The ratio says how many times the bare read the whole pipeline costs per article.
        Result(
            benchmark="ingest: CPU ms per article, pipeline vs read + decode only",
            size=count,
            database="sqlite",
            figure=1000 / per_second,
            reference=1000 / figures["reference"],
            ratio=figures["reference"] / per_second,
            target="—",
            passed=True,
            unit="ms",
        ),
        Result(
            benchmark="ingest: resident memory at the end vs after warm-up (flat)",
            size=count,
            database="sqlite",
            figure=round(figures["rss_end"], 1),
            reference=round(figures["rss_warm"], 1),
            ratio=figures["rss_end"] / figures["rss_warm"],
            target="≤ 1.1",
            passed=figures["rss_end"] <= figures["rss_warm"] * 1.1,
            unit="MB",
        ),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--worker", nargs=2, metavar=("FOLDER", "WARMUP"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
        worker(args.worker[0], int(args.worker[1]))
        return
    print(json.dumps(measure(args.articles), indent=2))


if __name__ == "__main__":
    main()
