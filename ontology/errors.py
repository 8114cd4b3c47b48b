"""The project's one error root.

Every error missilekg raises on purpose (a bad article, a broken query, a store
that cannot be opened, an unknown format) is a :class:`MissilekgError`, so the
command line and the server can tell a clear message for a person from a bug.
It lives in the lowest layer so that every room can subclass it.
"""

from __future__ import annotations


class MissilekgError(Exception):
    """Something the user can act on; ``str(error)`` is the message to show (it names the file, line or position)."""
