"""Admin saves and public page reads in a loop, in a process of its own, until a stop file
appears. Run by tests/test_concurrent_writers.py beside `ingest` processes; prints "ready",
then at the end one JSON line: how many saves and reads it made and every error it met.

    DATABASE_URL=... python tests/admin_traffic.py STOP_FILE
"""

import json
import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from claims.models import Claim  # noqa: E402

ACTIONS = ("submit_for_review", "withdraw")
READS = ("/", "/claims/", "/admin/claims/claim/")


def main(stop_file):
    setup_test_environment()  # lets the test client's "testserver" host in
    user, _ = get_user_model().objects.get_or_create(
        username="traffic", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client(raise_request_exception=False)
    client.force_login(user)
    ids = list(Claim.objects.order_by("id").values_list("id", flat=True)[:5])
    saves, reads, errors = 0, 0, []
    print("ready", flush=True)
    while not stop_file.exists():
        for action in ACTIONS:
            response = client.post(
                "/admin/claims/claim/",
                {"action": action, "index": 0, "_selected_action": ids},
            )
            saves += 1
            if response.status_code != 302:
                errors.append(f"{action}: {response.status_code}")
        for path in READS:
            response = client.get(path)
            reads += 1
            if response.status_code != 200:
                errors.append(f"GET {path}: {response.status_code}")
    print(json.dumps({"saves": saves, "reads": reads, "errors": errors}), flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
