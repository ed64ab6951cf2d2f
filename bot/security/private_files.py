"""Files that hold secrets or personal data, created owner-only (0600) from the first byte.

``chmod`` after writing leaves a window in which the file is readable by others (created at
the default umask, e.g. 0644), and does nothing for data a crash leaves behind.  These helpers
create the file with ``os.open(..., 0o600)`` under a 077 umask instead, so no byte is ever
readable by another user.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

PRIVATE_MODE = 0o600
PRIVATE_UMASK = 0o077


def create_private(path: Path, *, replace_stale: bool = True) -> int:
    """Create ``path`` empty with mode 0600 and return its descriptor (open for writing).

    An existing file is removed first when ``replace_stale`` (a leftover ``.partial`` may have
    been created with other permissions); otherwise ``FileExistsError`` is raised.
    """
    if replace_stale:
        Path(path).unlink(missing_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    return os.open(path, flags, PRIVATE_MODE)


@contextmanager
def open_private(path: Path, mode: str = "w", **kwargs: object) -> Iterator[IO]:
    """``open()`` for writing a new owner-only file (text or binary ``mode``)."""
    with os.fdopen(create_private(path), mode, **kwargs) as handle:  # type: ignore[call-overload]
        yield handle


def write_private_once(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` atomically, owner-only, unless ``path`` already exists.

    The text goes to a private temporary file that is then linked into place, so a reader
    never sees a half-written file and two processes racing on first start keep one of the
    two versions.  True when this call created ``path``.
    """
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.partial")
    with open_private(temporary, encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    try:
        os.link(temporary, path)
        return True
    except FileExistsError:
        return False
    finally:
        temporary.unlink(missing_ok=True)
