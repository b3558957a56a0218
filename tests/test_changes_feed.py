"""The changes feed, /api/v1/changes/: a consumer that follows it keeps an exact mirror of the
public knowledge base across publishes, edits, withdrawals and deletions, and a slow
transaction's change is never skipped.

The feed lists entries of committed transactions only (on PostgreSQL, of those older than every
running one), so these tests commit: `transactional_db`.
"""

import threading
import time

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test import Client

from claims import publishing
from claims.changes import Change
from claims.models import Actor, Claim, Evidence
from claims.restore import restore_claim
from tests.factories import add_evidence, make_actor, make_claim, make_passage
from tests.reader_world import build_world

KINDS = ("claims", "actors", "events", "sources", "passages", "evidence")
TYPE = {
    "claims": "claim",
    "actors": "actor",
    "events": "event",
    "sources": "source",
    "passages": "passage",
    "evidence": "evidence",
}
SETTLE_SECONDS = 120  # how long a read may wait for other transactions on the server to end


def public_copy(client):
    """The whole public knowledge base read through the list endpoints, as the mirror keeps it
    (each record as its detail endpoint gives it)."""
    copy = {}
    for kind in KINDS:
        url = f"/api/v1/{kind}/?limit=100"
        while url:
            page = client.get(url).json()
            for row in page["results"]:
                copy[(TYPE[kind], row["id"])] = client.get(row["api_url"]).json()
            url = page["next"]
    return copy


class Mirror:
    """A consumer: upserts what the feed says is public, removes the rest."""

    def __init__(self, client):
        self.client = client
        self.records = {}
        self.cursor = None
        self.entries = []

    def sync(self):
        """Read to the end; False when the feed never reached the newest entry in time."""
        deadline = time.monotonic() + SETTLE_SECONDS
        while True:
            self._read_all()
            last = Change.objects.order_by("-id").values_list("id", flat=True).first()
            if last is None or last in self.seen_ids:
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.2)  # another transaction on the server holds the feed back

    def _read_all(self):
        while True:
            url = "/api/v1/changes/" + (f"?since={self.cursor}" if self.cursor else "")
            page = self.client.get(url).json()
            for entry in page["results"]:
                self.entries.append(entry)
                key = (entry["type"], entry["id"])
                if entry["public"]:
                    self.records[key] = self.client.get(entry["api_url"]).json()
                else:
                    self.records.pop(key, None)
            self.cursor = page["cursor"]
            if not page["results"]:
                return

    @property
    def seen_ids(self):
        from claims.changes import decode_cursor

        return {decode_cursor(e["cursor"])[1] for e in self.entries}


def assert_mirrors(mirror, client):
    assert mirror.sync(), (
        f"another transaction on the database server held the feed back over {SETTLE_SECONDS} s"
    )
    truth = public_copy(client)
    assert set(mirror.records) == set(truth)
    for key, record in truth.items():
        assert mirror.records[key] == record, key
    for (kind, _), record in truth.items():
        if kind == "claim":
            assert client.get(record["url"]).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_consumer_mirrors_the_public_kb_through_publishes_edits_withdrawals_and_deletions():
    world = build_world()
    client = Client()
    reviewer = User.objects.create_user("reviewer", password="x-unused-9!", is_superuser=True)
    mirror = Mirror(client)
    assert_mirrors(mirror, client)  # from the first change on

    # publish a draft: the claim and everything it references become public
    world.draft.status = Claim.Status.IN_REVIEW
    world.draft.save()
    assert publishing.move([world.draft], Claim.Status.PUBLISHED, reviewer) == (1, {})
    assert_mirrors(mirror, client)

    # edits of the claim, its subjects, tags, evidence, and of the records it shows
    world.claim.statement = "Weapons were transferred, officials said."
    world.claim.save()
    newcomer = make_actor("Newcomer State", kind=Actor.Kind.STATE)
    world.claim.subjects.add(newcomer)
    world.claim.tags.add("second tag")
    world.claimant.name = "Senior officials"
    world.claimant.save()
    world.event.title = "The Pyongyang summit"
    world.event.save()
    world.source_b.title = "The second report"
    world.source_b.save()
    boss = make_actor("Officials' boss", kind=Actor.Kind.PERSON)
    world.claimant.affiliation = boss
    world.claimant.save()
    assert_mirrors(mirror, client)

    # a claim about the boss makes the boss public, and so the claimant's affiliation shows
    about_boss = make_claim("The boss spoke.", status=Claim.Status.DRAFT)
    about_boss.subjects.add(boss)
    add_evidence(about_boss, make_passage(quote="Leaders met in the capital."))
    Claim.objects.filter(pk=about_boss.pk).update(status=Claim.Status.PUBLISHED)
    assert_mirrors(mirror, client)

    # remove a subject, an evidence actor, a piece of evidence
    world.claim.subjects.remove(newcomer)
    disputing = Evidence.objects.get(claim=world.claim, stance=Evidence.Stance.DISPUTES)
    disputing.actors.remove(world.disputers[0])
    Evidence.objects.filter(claim=world.claim, passage=world.second).delete()
    assert_mirrors(mirror, client)

    # withdraw one claim (bulk, as the admin's action does), delete another, then restore it
    assert publishing.move([world.draft], Claim.Status.WITHDRAWN, reviewer) == (1, {})
    assert_mirrors(mirror, client)
    deleted_id = about_boss.pk
    about_boss.delete()
    assert_mirrors(mirror, client)
    restore_claim(deleted_id, reviewer)
    assert_mirrors(mirror, client)

    changes = {e["change"] for e in mirror.entries if e["type"] == "claim"}
    assert {"created", "published", "edited", "withdrawn", "deleted"} <= changes
    # a rolled-back edit leaves no entry
    before = Change.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        world.claim.statement = "Never committed."
        world.claim.save()
        raise RuntimeError
    assert Change.objects.count() == before


@pytest.mark.django_db(transaction=True)
def test_drafts_leave_no_trace_in_the_feed():
    claim = make_claim("A draft nobody may see.", status=Claim.Status.DRAFT)
    add_evidence(claim, actors=[make_actor("Unseen")])
    claim.statement = "Still a draft."
    claim.save()
    response = Client().get("/api/v1/changes/").json()
    assert [e for e in response["results"] if e["type"] == "claim"] == []
    assert "Unseen" not in str(response)


def read_settled(client, since):
    """Entries after `since` up to the newest change now stored: on a shared PostgreSQL server
    another client's open transaction can hold the feed back for a moment."""
    newest = Change.objects.order_by("-id").values_list("id", flat=True).first()
    entries, deadline = [], time.monotonic() + SETTLE_SECONDS
    while time.monotonic() < deadline:
        page = client.get("/api/v1/changes/" + (f"?since={since}" if since else "")).json()
        entries += page["results"]
        since = page["cursor"]
        if any(e["cursor"].endswith(f".{newest}") for e in entries):
            break
        time.sleep(0.2)
    return entries


@pytest.mark.django_db(transaction=True)
def test_latest_gives_the_cursor_to_follow_from_after_a_full_copy():
    claim = make_claim("Published before the copy.")
    add_evidence(claim)
    client = Client()
    read_settled(client, client.get("/api/v1/changes/?since=latest").json()["cursor"])
    head = client.get("/api/v1/changes/?since=latest").json()
    assert head["results"] == []
    later = make_claim("Published after the copy.")
    add_evidence(later)
    entries = read_settled(client, head["cursor"])
    assert {e["id"] for e in entries if e["type"] == "claim"} == {later.pk}


@pytest.mark.parametrize("since", ["nonsense", "MTIz", "LTEuLTE", "\x00", "é"])
def test_a_cursor_the_feed_did_not_give_is_a_400(client, db, since):
    response = client.get("/api/v1/changes/", {"since": since})
    assert response.status_code == 400
    assert "since" in response.json()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_slow_transactions_change_is_not_skipped_by_a_reader_in_between():
    """The gap a plain id cursor falls into: a slow transaction takes id N, a fast one N+1 and
    commits; a reader passes N+1; then N commits. The feed must still deliver N."""
    first = make_claim("Claim of the slow transaction.", status=Claim.Status.DRAFT)
    second = make_claim("Claim of the fast transaction.", status=Claim.Status.DRAFT)
    client = Client()
    cursor = client.get("/api/v1/changes/?since=latest").json()["cursor"]
    inserted, release = threading.Event(), threading.Event()

    def slow():
        try:
            with transaction.atomic():
                Claim.objects.filter(pk=first.pk).update(status=Claim.Status.PUBLISHED)
                inserted.set()
                release.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=slow)
    thread.start()
    assert inserted.wait(30)
    Claim.objects.filter(pk=second.pk).update(status=Claim.Status.PUBLISHED)  # commits
    page = client.get(f"/api/v1/changes/?since={cursor}").json()
    early = {e["id"] for e in page["results"] if e["type"] == "claim"}
    assert first.pk not in early  # not committed yet: not visible
    cursor = page["cursor"]
    release.set()
    thread.join(30)
    seen = set(early)
    deadline = time.monotonic() + SETTLE_SECONDS
    while not {first.pk, second.pk} <= seen and time.monotonic() < deadline:
        page = client.get(f"/api/v1/changes/?since={cursor}").json()
        seen |= {e["id"] for e in page["results"] if e["type"] == "claim"}
        cursor = page["cursor"]
        time.sleep(0.1)
    assert {first.pk, second.pk} <= seen


@pytest.mark.django_db(transaction=True)
def test_a_page_of_changes_costs_the_same_queries_for_few_entries_as_for_many(
    django_assert_num_queries,
):
    world = build_world()
    client = Client()
    read_settled(client, None)
    with django_assert_num_queries(7):  # the entries, then one per kind of record among them
        few = client.get("/api/v1/changes/?limit=1000").json()["results"]
    for i in range(10):
        make_claim(f"Published claim {i}.", claimant=world.claimant).subjects.add(world.subject)
    read_settled(client, None)
    with django_assert_num_queries(7):
        many = client.get("/api/v1/changes/?limit=1000").json()["results"]
    assert len(many) > len(few)
