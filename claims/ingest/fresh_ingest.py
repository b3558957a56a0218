"""`python -m claims.ingest.fresh_ingest OUTPUT PATH...`: the child process of
claims.ingest.evaluation. Migrates the empty database DATABASE_URL names, ingests each article
into it (rolled back after reading its drafts) and writes the drafts to OUTPUT as JSON."""

import json
import sys
from pathlib import Path

import django


def main(output, paths):
    django.setup()
    from django.core.management import call_command

    from claims.ingest.evaluation import ingest_each
    from claims.ingest.writer import tune_for_ingest

    call_command("migrate", verbosity=0)
    tune_for_ingest()
    results = ingest_each(paths)
    Path(output).write_text(json.dumps(results), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
