"""Write the whole knowledge base to one bundle file, for backups and moving between instances.

The format (versioned JSON Lines) is described in docs/bundle-format.md; `import_kb` reads it.
The file is written atomically: a failed export leaves no half-written bundle behind.
"""

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.bundle import write_bundle
from claims.management.streams import BinaryStdoutCommand


class Command(BinaryStdoutCommand, BaseCommand):
    help = "Export sources, passages, actors, events, claims and evidence to a bundle file."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the bundle to write (use - for standard output)")

    def handle(self, *args, file, **options):
        if file == "-":
            stream = getattr(self.raw_stdout, "buffer", None)
            if stream is None:
                raise CommandError("Standard output is not a binary stream; give a file name.")
            counts = write_bundle(stream)
            stream.flush()
            return
        path = Path(file)
        folder = path.resolve().parent
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder.")
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                counts = write_bundle(out)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        if options["verbosity"] >= 1:
            summary = ", ".join(f"{n:,} {kind}s" for kind, n in counts.items())
            self.stdout.write(f"Wrote {path}: {summary}.")
