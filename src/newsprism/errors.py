"""Every error newsprism raises on purpose, each naming the input it concerns.

    NewsprismError
     ├── InputError      a file, line or URL that cannot be read as an article
     │    └── FetchError a download that failed (network, status, size)
     └── StoreError      the database file cannot be opened or written, or is no store
          └── OutdatedStoreError  a store an older release wrote, opened read-only

The library raises; batch callers (the CLI, the web app) catch ``InputError`` per item, report it
and carry on with the rest of the batch.
"""

from __future__ import annotations


class NewsprismError(Exception):
    """Base class for errors meant to be shown to a user, never as a traceback."""


class InputError(NewsprismError):
    def __init__(self, source: str, message: str, line: int | None = None):
        self.source = source
        self.line = line
        self.message = message
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {message}")

    def __reduce__(self) -> tuple:
        # Failures travel back from worker processes: rebuild from the fields, not the joined text.
        return type(self), (self.source, self.message, self.line)


class FetchError(InputError):
    """A URL could not be downloaded as a page or feed."""


class StoreError(NewsprismError):
    pass


class OutdatedStoreError(StoreError):
    """A read-only opening does not migrate a store: a reader may open it writable to, and then read."""
