"""The analyst workspace: one module per model, registered on import (admin autodiscovery)."""

from claims.admin import actors, claims, events, passages, sources  # noqa: F401
