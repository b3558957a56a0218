"""docs/api.md stays true: its `sh` examples run, in order in one shell, against a live server
with the seed articles and an analyst's token, and say what the page says they do."""

import os
import re
import subprocess
from pathlib import Path

from django.contrib.auth.models import Permission, User
from rest_framework.authtoken.models import Token

from claims.models import Claim

DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"
BLOCK = re.compile(r"^```sh\n(.*?)^```", re.S | re.M)


def test_the_curl_examples_of_the_api_page_run_as_documented(site):
    blocks = BLOCK.findall(DOC.read_text(encoding="utf-8"))
    assert len(blocks) >= 6
    # The Analyst group's permissions for these examples, given directly: a test with a live
    # server flushes the tables afterwards, groups made by migrations included.
    analyst = User.objects.create_user("docs-analyst", password="x-unused-9!")
    codenames = ["add_claim", "change_claim", "view_claim", "add_evidence", "add_passage"]
    analyst.user_permissions.set(
        Permission.objects.filter(content_type__app_label="claims", codename__in=codenames)
    )
    token = Token.objects.create(user=analyst)
    script = "set -euo pipefail\n" + "".join(
        f"{block}echo '--- end of example {n} ---'\n" for n, block in enumerate(blocks)
    )
    done = subprocess.run(
        ["bash", "-c", script],
        env={**os.environ, "KB": site, "TOKEN": token.key},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    outputs = done.stdout.split("--- end of example ")
    assert len(outputs) == len(blocks) + 1
    assert all(part.strip() for part in outputs[:-1]), "every example prints something"
    assert "“disputed” must be yes or no." in done.stdout
    assert '"in_review"' in done.stdout
    assert "Sitemap: " in done.stdout
    assert "\n304\n" in done.stdout
    created = Claim.objects.get(statement="North Korea sent artillery shells to Russia.")
    assert created.status == Claim.Status.IN_REVIEW
    assert created.evidence.get().passage.text == "underscores the dynamic geopolitical environment"
