"""A one-line progress bar with counts and rate, drawn only on a terminal."""

import time

SHOW_FROM = 5  # fewer files than this finish before a bar would help


class Progress:
    def __init__(self, stream, total, width=30):
        self.stream, self.total, self.width = stream, total, width
        self.done, self.failed = 0, 0
        self.started = time.monotonic()
        self.enabled = total >= SHOW_FROM and getattr(stream, "isatty", lambda: False)()

    def step(self, failed=False):
        self.done += 1
        self.failed += failed
        if self.enabled:
            self._draw()

    def _draw(self):
        elapsed = max(time.monotonic() - self.started, 1e-6)
        filled = self.width * self.done // self.total
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(
            f"\r[{bar}] {self.done}/{self.total} files, {self.failed} failed, "
            f"{self.done / elapsed:.1f}/s"
        )
        self.stream.flush()

    def close(self):
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
