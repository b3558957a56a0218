"""Time the admin's first claim changelist page in this process's database (DATABASE_URL).

`python -m bench.admin_probe REPEATS` prints JSON: the median seconds and the query count of
`/admin/claims/claim/` (and of a search and a filtered page), rendered through Django's test
client by a superuser, after one warm-up request each.
"""

import json
import os
import statistics
import sys
import time


def main(repeats):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
    os.environ["PAGE_CACHE_SECONDS"] = "0"
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    user = User.objects.filter(username="bench-admin").first()
    if user is None:
        user = User.objects.create_superuser("bench-admin", password=None)
    client = Client()
    client.force_login(user)
    from claims.models import Actor

    actor = Actor.objects.order_by("pk").first()
    pages = {
        "first page": "/admin/claims/claim/",
        "search": "/admin/claims/claim/?q=minister",
        "claimant filter": f"/admin/claims/claim/?claimant={actor.pk if actor else 0}",
    }
    out = {}
    for name, url in pages.items():
        executed.clear()
        with connection.execute_wrapper(count):
            response = client.get(url)  # warm-up, and the query count
        assert response.status_code == 200, (url, response.status_code)
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - started)
        out[name] = {"seconds": statistics.median(times), "queries": len(executed)}
    print(json.dumps(out))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
