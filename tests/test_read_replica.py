"""The optional read replica (DATABASE_REPLICA_URL): public reads go there, everything else to
the primary. Two SQLite files stand in for a primary and its replica, so which one answered is
visible: a row written to only one of them."""

import json
import shutil

from kb.routers import PrimaryReplicaRouter, reads_from_replica
from tests.subprocesses import env, manage, python

SCRIPT = """
import json
from django.contrib.auth.models import User
from django.test import Client
from claims.models import Claim

out = {}
only_replica = Claim(statement="Only the replica has this claim.", status="published")
only_replica.save(using="replica")
routed = Claim(statement="Written through the router.", status="published")
routed.save()
out["router_write_on_primary"] = Claim.objects.using("default").filter(pk=routed.pk).exists()
out["router_write_on_replica"] = Claim.objects.using("replica").filter(slug=routed.slug).exists()
out["script_reads_primary"] = not Claim.objects.filter(statement=only_replica.statement).exists()

reader = Client()
out["public_replica_only"] = reader.get(f"/claims/{only_replica.slug}/").status_code
out["public_primary_only"] = reader.get(f"/claims/{routed.slug}/").status_code
out["list_has_replica_claim"] = b"Only the replica" in reader.get("/claims/").content

root = User.objects.create_superuser("root", "r@example.org", "a-long-passphrase-1")
admin = Client()
admin.force_login(root)
out["admin_primary_only"] = admin.get(f"/admin/claims/claim/{routed.pk}/change/").status_code
listed = admin.get("/admin/claims/claim/").content
out["admin_list_has_replica_claim"] = b"Only the replica" in listed
print(json.dumps(out))
"""


def test_public_pages_read_the_replica_and_writes_and_the_admin_use_the_primary(tmp_path):
    primary, replica = tmp_path / "primary.sqlite3", tmp_path / "replica.sqlite3"
    manage(env(DATABASE_URL=f"sqlite:///{primary}"), "migrate", "--verbosity", "0")
    shutil.copyfile(primary, replica)  # a replica starts as a copy of the primary
    done = python(
        env(
            DATABASE_URL=f"sqlite:///{primary}",
            DATABASE_REPLICA_URL=f"sqlite:///{replica}",
            PAGE_CACHE_SECONDS="0",
            ALLOWED_HOSTS="testserver",
        ),
        SCRIPT,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out == {
        "router_write_on_primary": True,
        "router_write_on_replica": False,
        "script_reads_primary": True,
        "public_replica_only": 200,
        "public_primary_only": 404,
        "list_has_replica_claim": True,
        "admin_primary_only": 200,
        "admin_list_has_replica_claim": False,
    }


def test_router_sends_writes_and_migrations_to_the_primary_only():
    router = PrimaryReplicaRouter()
    assert router.db_for_read(None) == "default"
    with reads_from_replica():
        assert router.db_for_read(None) == "replica"
        assert router.db_for_write(None) == "default"
    assert router.db_for_read(None) == "default"
    assert router.allow_migrate("default", "claims") is True
    assert router.allow_migrate("replica", "claims") is False
