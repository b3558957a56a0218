"""Commands that write bytes to standard output (an export piped to a file)."""

import sys


class BinaryStdoutCommand:
    """Mixin for a BaseCommand: `self.raw_stdout` is the stream the command was given
    (`call_command(..., stdout=...)`) or the process's standard output, not Django's
    line-oriented wrapper around it."""

    def execute(self, *args, **options):
        self.raw_stdout = options.get("stdout") or sys.stdout
        return super().execute(*args, **options)
