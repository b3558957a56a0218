"""The extraction evaluator: gold sets are read strictly, scored exactly, and ingested for real."""

import json
import shutil
from dataclasses import replace
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.ingest.evaluation import ingest_and_read, read_drafts
from claims.ingest.gold import (
    DEFAULT_SETS,
    DEV_SET,
    SEED_SET,
    GoldError,
    read_gold_article,
    read_gold_sets,
)
from claims.ingest.quality import measure
from claims.ingest.reading import read_article
from claims.ingest.scoring import MEASURES, DraftActor, DraftClaim, Drafts, score, total
from claims.ingest.writer import ingest_article
from claims.models import Source
from claims.seeding import SEEDS_DIR

UNIT = Path(__file__).parent / "data" / "extraction" / "unit"
HOLDOUT = Path(__file__).parent / "data" / "extraction" / "holdout"


def unit_gold():
    return read_gold_sets([UNIT])


def perfect_drafts(gold):
    """What a perfect extractor would write: one actor per gold actor with every form, one
    draft per gold claim on exactly its quote, disputed where the gold says so."""
    actors = {
        key: DraftActor(n, a.name, a.matching_forms)
        for n, (key, a) in enumerate(sorted(gold.actors.items()), 1)
    }
    claims = tuple(
        DraftClaim(
            id=n,
            statement=c.quote,
            rule="perfect",
            claimant=actors[c.claimant],
            supports=(c.span,),
            disputes=((0, 1),) if c.id in gold.disputed else (),
        )
        for n, c in enumerate(gold.claims, 1)
    )
    return Drafts(claims, tuple(actors.values()))


def values(s):
    return {m: s.counts[m].value for m in MEASURES}


def test_a_perfect_extraction_scores_one_on_every_measure():
    scores = [score(g, perfect_drafts(g)) for g in unit_gold()]
    assert all(v == 1.0 for v in values(total(scores)).values())
    assert all(s.misses == [] for s in scores)


def test_a_missed_claim_lowers_recall_and_claimant_by_one_over_the_gold_claims():
    gold = unit_gold()[0]
    drafts = perfect_drafts(gold)
    missing = drafts.claims[0]
    s = score(gold, replace(drafts, claims=drafts.claims[1:]))
    n = len(gold.claims)
    assert s.counts["claim recall"].value == (n - 1) / n
    assert s.counts["right claimant"].value == (n - 1) / n
    assert s.counts["precision"].value == 1.0
    assert [m.kind for m in s.misses] == ["claim not found"]
    assert gold.claims[0].id in s.misses[0].text and missing.statement[:20] in s.misses[0].text


def test_half_the_quote_counts_as_found_and_less_does_not():
    gold = unit_gold()[0]
    claim = gold.claims[0]
    half = claim.start + (claim.end - claim.start + 1) // 2
    for end, found in ((half, True), (half - 1, False)):
        draft = DraftClaim(1, "x", "r", None, ((claim.start, end),))
        s = score(gold, Drafts((draft,), ()))
        assert s.counts["claim recall"].found == int(found)
        assert s.counts["precision"].found == int(found)


def test_a_draft_outside_every_quote_lowers_precision_only():
    gold = unit_gold()[0]
    drafts = perfect_drafts(gold)
    title_span = (0, len(gold.text.split("\n", 1)[0]))
    noise = DraftClaim(99, "Council approves budget", "assertion", None, (title_span,))
    s = score(gold, replace(drafts, claims=drafts.claims + (noise,)))
    n = len(gold.claims)
    assert s.counts["precision"].value == n / (n + 1)
    assert s.counts["claim recall"].value == 1.0
    assert [m.kind for m in s.misses] == ["false positive"]


def test_the_claimant_counts_by_any_of_its_forms_or_a_co_claimant():
    gold = next(g for g in unit_gold() if g.name.endswith("factory-closure"))
    drafts = perfect_drafts(gold)
    by_form = DraftActor(50, "Brightline", frozenset({"brightline"}))
    costa = next(c for c in gold.claims if c.claimant == "maria-costa")
    claims = tuple(
        replace(d, claimant=by_form) if d.supports == (costa.span,) else d for d in drafts.claims
    )
    s = score(gold, replace(drafts, claims=claims))
    assert s.counts["right claimant"].value == 1.0  # Brightline is Costa's co-claimant

    stranger = DraftActor(51, "Leeds", frozenset({"leeds"}))
    claims = tuple(replace(d, claimant=stranger) for d in drafts.claims)
    s = score(gold, replace(drafts, claims=claims))
    assert s.counts["right claimant"].value == 0.0
    assert s.counts["claim recall"].value == 1.0
    assert {m.kind for m in s.misses} == {"wrong claimant"}
    assert all("“Leeds”" in m.text for m in s.misses)


def test_a_disputed_claim_needs_disputing_evidence_on_its_matched_draft():
    gold = unit_gold()[0]
    drafts = perfect_drafts(gold)
    claims = tuple(replace(d, disputes=()) for d in drafts.claims)
    s = score(gold, replace(drafts, claims=claims))
    assert s.counts["disputes"] == type(s.counts["disputes"])(0, len(gold.disputed))
    assert [m.kind for m in s.misses] == ["dispute missed"]


def test_an_actor_split_in_two_is_found_but_not_merged():
    gold = unit_gold()[0]
    drafts = perfect_drafts(gold)
    others = tuple(a for a in drafts.actors if a.name != "Tom Grant")
    split = (
        DraftActor(70, "Tom Grant", frozenset({"tom grant"})),
        DraftActor(71, "Mr Grant", frozenset({"mr grant"})),
    )
    s = score(gold, replace(drafts, actors=others + split))
    assert s.counts["actors"].value == 1.0
    assert s.counts["alias merges"].value == 0.0  # Tom Grant is the only one with two forms
    (miss,) = s.misses
    assert miss.kind == "actor split" and "mr grant → Mr Grant" in miss.text


def test_a_missing_actor_lowers_the_actor_figure():
    gold = unit_gold()[0]
    drafts = perfect_drafts(gold)
    s = score(gold, replace(drafts, actors=drafts.actors[1:]))
    assert s.counts["actors"].value == (len(gold.actors) - 1) / len(gold.actors)


def test_totals_add_counts_so_every_gold_claim_weighs_the_same():
    first, second = unit_gold()
    s1 = score(first, perfect_drafts(first))
    s2 = score(second, Drafts((), ()))
    overall = total([s1, s2])
    n1, n2 = len(first.claims), len(second.claims)
    assert overall.counts["claim recall"].value == n1 / (n1 + n2)
    assert overall.counts["precision"].value == 1.0  # no draft at all in the second one


# --- reading gold -------------------------------------------------------------------------------


def gold_copy(tmp_path, edit):
    for path in UNIT.glob("council-budget*"):
        shutil.copy(path, tmp_path / path.name)
    gold_path = tmp_path / "council-budget.gold.json"
    data = json.loads(gold_path.read_text(encoding="utf-8"))
    edit(data)
    gold_path.write_text(json.dumps(data), encoding="utf-8")
    return gold_path


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda d: d["claims"][0].update(quote="Mayor Anna Lee denied everything."), "not occur"),
        (lambda d: d["claims"][0].update(quote="library"), "occurs 5 times"),
        (
            lambda d: d["claims"][2].update(quote="“The figures do not add up"),
            "in quotes or dashes",
        ),
        (lambda d: d["claims"][0].update(claimant="nobody"), "claimant 'nobody'"),
        (lambda d: d["claims"][0].update(kind="rumour"), "kind 'rumour'"),
        (lambda d: d["claims"][0].update(disputes="c9"), "disputes 'c9'"),
        (lambda d: d["claims"][1].update(id="c1"), "unique id"),
        (lambda d: d["claims"][0].update(qoute="typo"), "unknown field(s) qoute"),
        (lambda d: d["actors"][0]["forms"].append("Southfield Council"), "does not occur"),
        (lambda d: d["actors"][1]["forms"].append("Mr Grant"), "also a form of anna-lee"),
        (lambda d: d["actors"][0].update(kind="council"), "kind 'council'"),
    ],
)
def test_bad_gold_is_refused_naming_the_file_and_the_claim(tmp_path, edit, message):
    path = gold_copy(tmp_path, edit)
    with pytest.raises(GoldError) as caught:
        read_gold_article(path)
    assert any(message in p and str(path) in p for p in caught.value.problems), caught.value


def test_every_problem_of_a_set_is_reported_at_once(tmp_path):
    def two_faults(data):
        data["claims"][0]["claimant"] = "nobody"
        data["claims"][2]["quote"] = "not in the text"

    gold_copy(tmp_path, two_faults)
    with pytest.raises(GoldError) as caught:
        read_gold_sets([tmp_path])
    assert len(caught.value.problems) == 2
    assert "claim c1" in caught.value.problems[0] and "claim c3" in caught.value.problems[1]


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02binary", b'{"version": 2}', b"[1, 2]"])
def test_unreadable_gold_files_are_refused(tmp_path, content):
    shutil.copy(UNIT / "council-budget.txt", tmp_path)
    (tmp_path / "council-budget.gold.json").write_bytes(content)
    with pytest.raises(GoldError, match="council-budget.gold.json"):
        read_gold_sets([tmp_path])


def test_a_gold_file_without_its_article_is_refused(tmp_path):
    shutil.copy(UNIT / "council-budget.gold.json", tmp_path)
    with pytest.raises(GoldError, match="no single article file"):
        read_gold_sets([tmp_path])


# --- ingest for real ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_ingest_for_evaluation_reads_what_ingest_writes_and_leaves_nothing_behind():
    gold = unit_gold()[0]
    digest, drafts = ingest_and_read(gold.path)
    assert not Source.objects.exists()
    ingested = ingest_article(read_article(gold.path))
    written = read_drafts(ingested.source)
    assert digest == ingested.source.content_hash
    shape = lambda d: [(c.statement, c.rule, c.supports, c.disputes) for c in d.claims]  # noqa: E731
    assert shape(drafts) == shape(written)
    assert [a.name for a in drafts.actors] == [a.name for a in written.actors]
    for claim in drafts.claims:
        assert all(0 <= a < b <= len(gold.text) for a, b in claim.supports + claim.disputes)


def run(*args):
    out = StringIO()
    call_command("extraction_quality", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_each_article_and_the_total_and_fails_below_target():
    output = run("--gold", str(UNIT), "--report-only", "--details")
    lines = output.splitlines()
    assert any(line.startswith("unit/council-budget") and "/5" in line for line in lines)
    assert any(line.startswith("unit/factory-closure") and "/4" in line for line in lines)
    total_line = next(line for line in lines if line.startswith("total"))
    fractions = [word for word in total_line.split() if "/" in word]
    assert [f.split("/")[1] for f in fractions[:2]] == ["9", "9"]  # recall, claimant: 9 claims
    assert "claim recall" in output  # the seeds' annotation figures are reported too
    with pytest.raises(CommandError, match="Below target"):
        run("--gold", str(UNIT), "--target", "recall=1.01")


def test_the_command_refuses_a_bad_gold_set_and_a_bad_target(tmp_path):
    gold_copy(tmp_path, lambda d: d["claims"][0].update(quote='=HYPERLINK("x")<script>'))
    with pytest.raises(CommandError, match="claim c1"):
        run("--gold", str(tmp_path), "--report-only")
    with pytest.raises(CommandError, match="NAME=NUMBER"):
        run("--gold", str(UNIT), "--target", "speed=3")


def test_the_shipped_gold_sets_are_valid_and_the_dev_set_has_25_real_articles():
    dev, seeds = read_gold_sets([DEV_SET]), read_gold_sets([SEED_SET])
    assert len(dev) >= 25 and len(seeds) == 2  # issue 16: at least 25 real articles + seeds
    assert all(a.claims and a.actors for a in dev + seeds)
    assert sum(len(a.disputed) for a in dev) >= 5


def paragraphs(articles):
    return {line for a in articles for line in a.text.splitlines() if len(line.split()) >= 8}


def test_the_holdout_gold_is_valid_and_shares_no_article_with_the_dev_set():
    """Only parsed here, never scored: its figures are measured by hand, at the end, so that
    nobody tunes the extractor on it (tests/data/extraction/holdout/SOURCES.md)."""
    holdout = read_gold_sets([HOLDOUT])
    assert len(holdout) >= 10
    assert all(a.claims and a.actors for a in holdout)
    assert all(300 <= len(a.text.split()) <= 950 for a in holdout)  # title line included
    assert HOLDOUT not in DEFAULT_SETS
    assert not paragraphs(holdout) & paragraphs(read_gold_sets(DEFAULT_SETS))


def test_extraction_meets_the_targets_on_the_dev_set_and_keeps_the_seed_figures():
    """Issue 16's acceptance, deterministic: the dev set ingested into a fresh database meets
    every target, disputes included (the command raises below one), and the seeds' annotation
    figures do not drop. The seeds as a gold set are printed but not held to the precision
    target: their gold counts claims by named actors only, while the seed annotations also
    count the essays' own assertions, which extraction proposes for articles that quote nobody
    (docs/extraction.md)."""
    output = run("--gold", str(DEV_SET))
    print(output)
    total_line = next(line for line in output.splitlines() if line.startswith("total"))
    assert total_line.count("/") == 6
    figures, _ = measure(SEEDS_DIR)
    by_name = {f.name: f for f in figures}
    assert by_name["claim recall"].value >= 0.98 and by_name["claim precision"].value >= 0.74
    assert by_name["dispute recall"].value == by_name["actor recall"].value == 1.0
