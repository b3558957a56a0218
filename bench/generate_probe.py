"""Time `generate_kb` against writing the same rows, made beforehand, with the bare bulk path.

Run by bench_generate in its own process on a scratch database (DATABASE_URL); both loads are
rolled back so neither pays for the commit. Prints one JSON line.
"""

import json
import resource
import sys
import time

import django


def main(claims, seed):
    django.setup()
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction

    from claims import bulk
    from claims.generation import Generator
    from claims.models import Claim

    with transaction.atomic():
        started = time.perf_counter()
        bulk.generate_kb(claims, seed=seed)
        generate_seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    generator = Generator(
        claims, seed=seed, content_type_id=ContentType.objects.get_for_model(Claim).pk
    )
    tables = [generator.people_tables(), *generator.chunks()]
    with transaction.atomic():
        started = time.perf_counter()
        for rows in tables:
            for table, batch in rows.items():
                bulk.write_rows(table, batch)
        write_seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    text_bytes = sum(len(row[6].encode()) for rows in tables[1:] for row in rows["source"])
    print(
        json.dumps(
            {
                "generate_seconds": generate_seconds,
                "write_seconds": write_seconds,
                "peak_mb": peak_mb,
                "text_bytes_per_source": text_bytes
                / max(1, sum(len(r["source"]) for r in tables[1:])),
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
