"""A per-process cache of small serialized query results, valid for one store generation.

Dashboards and notebooks re-run the same catalogue queries; the answer cannot
change until a writer commits, and every commit changes the store's generation
token, which is part of the key. So a hit is always what the store would say
now. Large results are never cached (they stream), and the cache has a byte
budget with least-recently-used eviction; ``RESULT_CACHE_BYTES = 0`` turns it off.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable


class ResultCache:
    """Serialized bodies by key, within ``max_bytes`` in all and ``max_entry`` each."""

    def __init__(self, max_bytes: int, max_entry: int) -> None:
        self.max_bytes, self.max_entry = max_bytes, max_entry
        self._entries: OrderedDict[Hashable, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> bytes | None:
        """The cached body, or None."""
        if not self.max_bytes:
            return None
        with self._lock:
            body = self._entries.get(key)
            if body is not None:
                self._entries.move_to_end(key)
            return body

    def put(self, key: Hashable, body: bytes) -> None:
        """Remember a body if it fits, evicting the least recently used ones."""
        if not self.max_bytes or len(body) > self.max_entry:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= len(old)
            self._entries[key] = body
            self._size += len(body)
            while self._size > self.max_bytes and self._entries:
                _, evicted = self._entries.popitem(last=False)
                self._size -= len(evicted)
