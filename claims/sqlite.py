"""SQLite for several processes at once: configured once, never switched while in use.

Per connection (kb/settings.py, through the database OPTIONS Django documents): a busy timeout,
so a writer waits for the lock instead of failing; IMMEDIATE transactions, so a transaction
takes the write lock when it begins and two writers queue instead of deadlocking; and
`synchronous=NORMAL` / `temp_store=MEMORY`, which are per connection and take no lock.

The write-ahead log is a property of the database file, and switching to it needs the file to
itself. So it is switched once, by `migrate` (which every set-up path runs before anything
else), never by a command that other processes may be using the database beside.
"""

from django.db import connections


def use_write_ahead_log(using="default"):
    """Put a SQLite database file in WAL mode (readers never wait for the writer). Returns the
    journal mode in force; an in-memory database stays "memory". PostgreSQL: nothing."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0].lower()
        if mode in ("wal", "memory"):
            return mode
        cursor.execute("PRAGMA journal_mode=WAL")
        return cursor.fetchone()[0].lower()


def after_migrate(sender, using="default", **kwargs):
    use_write_ahead_log(using)
