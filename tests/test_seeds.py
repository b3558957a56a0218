import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from claims.models import Actor, ActorAlias, Claim, Event, Evidence, Passage, Source
from claims.seeding import SEEDS_DIR

pytestmark = pytest.mark.django_db
SHARED_SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
ANNOTATIONS = json.loads((SEEDS_DIR / "annotations.json").read_text(encoding="utf-8"))
MODELS = (Source, Passage, Actor, ActorAlias, Event, Claim, Evidence)


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def run(*args):
    out = StringIO()
    call_command("load_seeds", *args, stdout=out)
    return out.getvalue()


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="../shared/seeds is not beside the project")
def test_seed_articles_are_byte_for_byte_copies_of_the_shared_ones():
    for original in SHARED_SEEDS.glob("*.txt"):
        assert (SEEDS_DIR / original.name).read_bytes() == original.read_bytes()


def test_loading_twice_gives_the_same_counts_and_says_nothing_changed():
    assert "loaded" in run()
    first = counts()
    assert "nothing to change" in run()
    assert counts() == first
    assert first["Source"] == 2
    assert first["Claim"] == len(ANNOTATIONS["claims"]) >= 30


def test_source_text_is_the_seed_file_exactly():
    run()
    for spec in ANNOTATIONS["sources"]:
        source = Source.objects.get(slug=spec["slug"])
        assert source.text == (SEEDS_DIR / spec["file"]).read_text(encoding="utf-8")


def test_every_curated_quote_points_at_exactly_its_text():
    run()
    checked = 0
    for spec in ANNOTATIONS["claims"]:
        claim = Claim.objects.get(slug=spec["slug"])
        for ev in spec["evidence"]:
            evidence = claim.evidence.get(passage__text=ev["quote"])
            passage = evidence.passage
            assert passage.source.text[passage.start : passage.end] == ev["quote"]
            assert evidence.stance == ev.get("stance", "supports")
            checked += 1
    assert checked >= len(ANNOTATIONS["claims"])


def test_weapons_transfer_claim_is_disputed_by_russia_and_north_korea():
    run()
    disputed = Claim.objects.with_dispute_state().filter(is_disputed=True)
    disputers = {name for c in disputed for name in c.disputed_by.split("; ")}
    assert {"Russia", "North Korea"} <= disputers
    transfer = [c for c in disputed if "weapon" in c.statement.lower()]
    assert transfer, "the weapons-transfer claim should be disputed"
    assert set(transfer[0].disputed_by.split("; ")) >= {"Russia", "North Korea"}
    refutation = transfer[0].evidence.get(stance=Evidence.Stance.DISPUTES).passage
    assert "refute claims made by Seoul and Washington" in refutation.text


def test_kim_jong_un_and_kim_jong_hyphen_un_are_one_actor():
    run()
    kim = Actor.resolve("Kim Jong Un")
    assert kim is not None
    assert Actor.resolve("Kim Jong-un") == kim
    assert Actor.resolve("U.S.") == Actor.resolve("United States") == Actor.resolve("Washington")


def test_repeated_paragraphs_of_seed_000_add_no_duplicate_passages_or_claims():
    run()
    source = Source.objects.get(origin="000_0c39241ef8cb2f7f.txt")
    repeats = source.passages.filter(repeat_of__isnull=False, kind=Passage.Kind.PARAGRAPH)
    assert repeats.count() == 4  # (their sentences point to the first copy's sentences too)
    # No evidence points into a repeated copy: every quote anchors in the first occurrence.
    for repeat in repeats:
        inside = Passage.objects.filter(source=source, start__gte=repeat.start, end__lte=repeat.end)
        assert not Evidence.objects.filter(passage__in=inside).exists()
    statements = list(Claim.objects.values_list("statement", flat=True))
    assert len(statements) == len(set(statements))


def test_claims_supported_by_both_articles_count_two_sources():
    run()
    corroborated = Claim.objects.with_dispute_state().filter(supporting_sources=2)
    assert corroborated.count() >= 3


def test_missing_or_ambiguous_quotes_are_all_listed_and_nothing_is_written(tmp_path):
    for spec in ANNOTATIONS["sources"]:
        shutil.copy(SEEDS_DIR / spec["file"], tmp_path / spec["file"])
    broken = json.loads(json.dumps(ANNOTATIONS))
    broken["claims"][0]["evidence"][0]["quote"] = "Words that no article contains."
    broken["claims"][1]["evidence"][0]["quote"] = "North Korea"
    broken["claims"][1]["evidence"][0]["prefix"] = ""
    broken["claims"][1]["evidence"][0]["suffix"] = ""
    (tmp_path / "annotations.json").write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(CommandError) as info:
        run("--seeds-dir", str(tmp_path))
    message = str(info.value)
    assert "nothing was written" in message
    assert "does not occur" in message
    assert "add a prefix or suffix" in message
    assert all(n == 0 for n in counts().values())


def test_dry_run_checks_everything_and_writes_nothing():
    assert "Dry run" in run("--dry-run")
    assert all(n == 0 for n in counts().values())
