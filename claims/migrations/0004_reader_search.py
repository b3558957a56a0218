"""Full-text search over claim statements and their quotes (PostgreSQL only).

A `search_document` tsvector column on claims_claim holds the statement and the text of every
passage quoted as the claim's evidence, with a GIN index. Triggers keep it current on every
write path (admin, seeds, ingest, bulk COPY loads): a row trigger on claims, and statement-level
triggers with transition tables on evidence, so a bulk load recomputes each claim once rather
than once per row. Passage text never changes once stored, so passages need no trigger.

The column is not a model field on purpose: it is PostgreSQL-only (SQLite searches with LIKE)
and must not reach forms, history tables or exports. `claims.filters.search` queries it.
"""

from django.db import migrations

FORWARD = """
ALTER TABLE claims_claim ADD COLUMN IF NOT EXISTS search_document tsvector;

CREATE OR REPLACE FUNCTION claims_search_document(claim bigint, statement text)
RETURNS tsvector LANGUAGE sql STABLE AS $$
  SELECT to_tsvector('english', coalesce(statement, ''))
      || to_tsvector('english', coalesce((
           SELECT string_agg(p.text, ' ' ORDER BY p.id)
           FROM claims_evidence e JOIN claims_passage p ON p.id = e.passage_id
           WHERE e.claim_id = claim), ''))
$$;

CREATE OR REPLACE FUNCTION claims_claim_search_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_document := claims_search_document(NEW.id, NEW.statement);
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION claims_evidence_search_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE claims_claim c SET search_document = claims_search_document(c.id, c.statement)
  WHERE c.id IN (SELECT DISTINCT claim_id FROM changed_rows);
  RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS claims_claim_search ON claims_claim;
CREATE TRIGGER claims_claim_search BEFORE INSERT OR UPDATE OF statement ON claims_claim
  FOR EACH ROW EXECUTE FUNCTION claims_claim_search_row();

DROP TRIGGER IF EXISTS claims_evidence_search_insert ON claims_evidence;
CREATE TRIGGER claims_evidence_search_insert AFTER INSERT ON claims_evidence
  REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION claims_evidence_search_new();
DROP TRIGGER IF EXISTS claims_evidence_search_update ON claims_evidence;
CREATE TRIGGER claims_evidence_search_update AFTER UPDATE ON claims_evidence
  REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION claims_evidence_search_new();
DROP TRIGGER IF EXISTS claims_evidence_search_update_old ON claims_evidence;
CREATE TRIGGER claims_evidence_search_update_old AFTER UPDATE ON claims_evidence
  REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION claims_evidence_search_new();
DROP TRIGGER IF EXISTS claims_evidence_search_delete ON claims_evidence;
CREATE TRIGGER claims_evidence_search_delete AFTER DELETE ON claims_evidence
  REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION claims_evidence_search_new();

UPDATE claims_claim SET search_document = claims_search_document(id, statement);
CREATE INDEX IF NOT EXISTS claim_search_document ON claims_claim USING gin (search_document);
"""

BACKWARD = """
DROP TRIGGER IF EXISTS claims_claim_search ON claims_claim;
DROP TRIGGER IF EXISTS claims_evidence_search_insert ON claims_evidence;
DROP TRIGGER IF EXISTS claims_evidence_search_update ON claims_evidence;
DROP TRIGGER IF EXISTS claims_evidence_search_update_old ON claims_evidence;
DROP TRIGGER IF EXISTS claims_evidence_search_delete ON claims_evidence;
DROP FUNCTION IF EXISTS claims_evidence_search_new();
DROP FUNCTION IF EXISTS claims_claim_search_row();
DROP FUNCTION IF EXISTS claims_search_document(bigint, text);
DROP INDEX IF EXISTS claim_search_document;
ALTER TABLE claims_claim DROP COLUMN IF EXISTS search_document;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("claims", "0002_groups")]

    operations = [migrations.RunPython(forward, backward)]
