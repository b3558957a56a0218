import hashlib
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count

from claims.bulk import MODELS
from claims.filters import search
from claims.generation import COLUMNS, Generator
from claims.integrity import check_integrity
from claims.models import Actor, ActorAlias, Claim, Evidence, Passage, Source
from tests.factories import make_claim

pytestmark = pytest.mark.django_db


def generate(claims, seed=1):
    call_command("generate_kb", claims=claims, seed=seed, stdout=StringIO())


def digest():
    """A hash of every generated row, ids included (but not ids the database assigns)."""
    h = hashlib.sha256()
    for table, columns in COLUMNS.items():
        name = connection.ops.quote_name(MODELS[table]._meta.db_table)
        cols = ", ".join(connection.ops.quote_name(c) for c in columns)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {cols} FROM {name} ORDER BY {cols}")
            for row in cursor.fetchall():
                h.update(repr([str(v) for v in row]).encode())
    return h.hexdigest()


def digest_of_fresh(claims, seed):
    with transaction.atomic():
        generate(claims, seed)
        value = digest()
        transaction.set_rollback(True)
    return value


def test_ten_thousand_generated_claims_pass_the_integrity_checks():
    generate(10_000, seed=3)
    assert Claim.objects.count() == 10_000
    assert Source.objects.count() == 1_000
    assert check_integrity() == []


def test_generated_knowledge_base_is_shaped_like_real_use():
    generate(2_000)
    claims = Claim.objects.with_dispute_state()
    disputed = claims.filter(is_disputed=True).count()
    assert 0.06 * 2_000 < disputed < 0.14 * 2_000
    assert claims.filter(supporting_sources__gte=2).exists()
    statuses = dict(Claim.objects.values_list("status").annotate(n=Count("id")))
    assert set(statuses) == set(Claim.Status.values)
    assert max(statuses, key=statuses.get) == Claim.Status.PUBLISHED
    assert not Claim.objects.filter(tags=None).exists()
    assert not Claim.objects.filter(evidence__isnull=True).exists()
    assert ActorAlias.objects.count() > Actor.objects.count()
    lengths = [len(t) for t in Source.objects.values_list("text", flat=True)]
    assert min(lengths) > 5000 and max(lengths) < 12_000
    assert Passage.objects.filter(kind=Passage.Kind.HEADING).count() >= Source.objects.count()


def test_every_evidence_passage_speaks_of_its_own_claim():
    generate(1_000)
    for claim_id, text in Evidence.objects.values_list("claim_id", "passage__text"):
        assert re.search(rf"\(ref\. {claim_id}\)\.$", text), text


def test_disputing_evidence_names_the_actors_who_dispute():
    generate(1_000)
    disputes = Evidence.objects.filter(stance=Evidence.Stance.DISPUTES).prefetch_related(
        "actors__aliases"
    )
    assert disputes
    for evidence in disputes:
        names = [a.name for actor in evidence.actors.all() for a in actor.aliases.all()]
        assert evidence.actors.exists()
        assert any(name in evidence.passage.text for name in names)


def test_same_seed_gives_the_same_rows_and_another_seed_differs():
    first = digest_of_fresh(1_500, seed=7)
    assert digest_of_fresh(1_500, seed=7) == first
    assert digest_of_fresh(1_500, seed=8) != first


def test_generate_kb_refuses_a_database_that_already_holds_claims():
    make_claim()
    with pytest.raises(CommandError, match="already holds a knowledge base"):
        generate(100)
    assert Claim.objects.count() == 1
    assert not Source.objects.exists()


def test_generate_kb_refuses_zero_claims():
    with pytest.raises(CommandError, match="at least 1"):
        generate(0)


def test_integrity_check_reports_a_passage_that_no_longer_matches_its_source():
    generate(100)
    passage = Passage.objects.filter(kind=Passage.Kind.SENTENCE).first()
    Passage.objects.filter(pk=passage.pk).update(text=passage.text.swapcase())
    problems = check_integrity()
    assert any(f"passage {passage.pk}: text differs" in p for p in problems)


def test_integrity_check_reports_an_alias_stored_unnormalized():
    generate(100)
    alias = ActorAlias.objects.first()
    ActorAlias.objects.filter(pk=alias.pk).update(normalized="NOT Normalized")
    assert any(alias.name in p for p in check_integrity())


def test_seed_knowledge_base_passes_the_same_integrity_checks(seeded):
    assert Claim.objects.exists()
    assert check_integrity() == []


def _postgres_schema():
    """Constraints, indexes and the enabled state of triggers on the tables generate_kb fills."""
    tables = [model._meta.db_table for model in MODELS.values()]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT 'constraint', conname, pg_get_constraintdef(oid) FROM pg_constraint
            WHERE conrelid = ANY(%s::regclass[])
            UNION ALL SELECT 'index', indexrelid::regclass::text, pg_get_indexdef(indexrelid)
            FROM pg_index WHERE indrelid = ANY(%s::regclass[])
            UNION ALL SELECT 'trigger', tgname, tgenabled::text FROM pg_trigger
            WHERE tgrelid = ANY(%s::regclass[]) AND NOT tgisinternal
            ORDER BY 1, 2
            """,
            [tables, tables, tables],
        )
        return cursor.fetchall()


@pytest.mark.postgres_only
def test_bulk_load_gives_every_claim_the_search_document_its_triggers_would():
    generate(500)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM claims_claim WHERE search_document IS NULL"
            " OR search_document <> claims_search_document(id, statement)"
        )
        assert cursor.fetchone() == (0,)
    evidence = Evidence.objects.select_related("passage").first()
    word = max(re.findall(r"[A-Za-z]+", evidence.passage.text), key=len)
    assert evidence.claim_id in set(search(Claim.objects.all(), word).values_list("pk", flat=True))


@pytest.mark.postgres_only
def test_bulk_load_leaves_constraints_indexes_and_triggers_as_they_were():
    before = _postgres_schema()
    generate(300)
    assert _postgres_schema() == before
    claim = Claim.objects.first()
    Claim.objects.filter(pk=claim.pk).update(statement="Zanzibar ferries were mentioned.")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_document @@ plainto_tsquery('english', 'zanzibar')"
            " FROM claims_claim WHERE id = %s",
            [claim.pk],
        )
        assert cursor.fetchone() == (True,)


@pytest.mark.postgres_only
def test_failed_bulk_load_leaves_no_rows_and_the_schema_as_it_was(monkeypatch):
    before = _postgres_schema()

    def broken_chunks(self):
        yield from []
        raise RuntimeError("disk full")

    monkeypatch.setattr(Generator, "chunks", broken_chunks)
    with pytest.raises(RuntimeError, match="disk full"):
        generate(300)
    assert _postgres_schema() == before
    assert not Actor.objects.exists()


def test_generated_knowledge_base_leaves_the_planner_statistics_current():
    generate(300)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'claims_evidence'")
            assert cursor.fetchone()[0] > 0
        else:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'claims_evidence'")
            assert cursor.fetchone()[0] == Evidence.objects.count()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_generated_claims_table_is_vacuumed_so_the_list_count_can_use_only_the_index():
    generate(300)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT last_vacuum IS NOT NULL, relallvisible > 0 FROM pg_stat_user_tables "
            "JOIN pg_class ON pg_class.oid = relid WHERE pg_class.relname = 'claims_claim'"
        )
        assert cursor.fetchone() == (True, True)
