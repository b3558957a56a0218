"""Export claims as CSV or JSON Lines from the shell, for spreadsheets, scripts and archives.

The same rows, columns and filters as `/claims/export.csv`, but analysts may export any status
(all statuses unless `--status` says otherwise). A file is written atomically: a failed export
leaves no half-written file behind.
"""

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.export import csv_chunks, jsonl_chunks
from claims.filters import filter_claims
from claims.management.streams import BinaryStdoutCommand

FILTERS = ("q", "disputed", "claimant", "subject", "event", "tag", "source", "kind", "sort")


class Command(BinaryStdoutCommand, BaseCommand):
    help = "Write claims as CSV (default) or JSON Lines to stdout or a file."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")
        parser.add_argument("--format", choices=("csv", "jsonl"), default="csv")
        parser.add_argument(
            "--status",
            action="append",
            default=[],
            help="draft, in_review, published, withdrawn (repeatable or comma-separated; "
            "default: every status)",
        )
        parser.add_argument("--bom", action="store_true", help="start the CSV with a UTF-8 BOM")
        parser.add_argument(
            "--base-url", default="", help="make the url column absolute (https://example.org)"
        )
        for name in FILTERS:
            parser.add_argument(f"--{name}", help=f"the /claims/ list's “{name}” filter")

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        query = {name: options[name] for name in FILTERS if options[name] is not None}
        if options["status"]:
            query["status"] = ",".join(options["status"])
        claims, state = filter_claims(query, allow_status=True)
        if state.errors:
            raise CommandError(" ".join(state.errors))
        if options["format"] == "jsonl":
            if options["bom"]:
                raise CommandError("--bom is for CSV only.")
            chunks = jsonl_chunks(claims, base_url=options["base_url"])
        else:
            chunks = csv_chunks(claims, base_url=options["base_url"], bom=options["bom"])
        if options["output"]:
            self._write_file(Path(options["output"]), chunks)
        else:
            self._write_stdout(chunks)

    def _write_file(self, path, chunks):
        folder = path.resolve().parent
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder.")
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
        try:
            size = 0
            with os.fdopen(handle, "wb") as out:
                for chunk in chunks:
                    out.write(chunk)
                    size += len(chunk)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        if self.verbosity >= 1:
            self.stderr.write(f"Wrote {size:,} bytes to {path}.")

    def _write_stdout(self, chunks):
        stream = self.raw_stdout
        binary = getattr(stream, "buffer", None)
        if binary is None:  # a text stream, e.g. call_command(stdout=StringIO())
            for chunk in chunks:
                stream.write(chunk.decode("utf-8"))
            return
        for chunk in chunks:
            binary.write(chunk)
        binary.flush()
