"""Where the client keeps response bodies for conditional requests (``If-None-Match`` /
``If-Modified-Since``): in memory for one process, or in a folder between syncs."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class CachedResponse:
    """A response body kept for revalidation.

    Attributes:
        url: The full URL, query included.
        etag: The ``ETag`` header, or ``None``.
        last_modified: The ``Last-Modified`` header, or ``None``.
        body: The response body.
    """

    url: str
    etag: str | None
    last_modified: str | None
    body: bytes


class ResponseCache(Protocol):
    """Where the client keeps response bodies between syncs (e.g. a folder, or the store)."""

    def get(self, url: str) -> CachedResponse | None:
        """The kept response for a URL, if any."""
        ...

    def put(self, response: CachedResponse) -> None:
        """Keep a response, replacing any for the same URL."""
        ...


class MemoryCache:
    """A cache for one process's lifetime (the default)."""

    def __init__(self) -> None:
        self._entries: dict[str, CachedResponse] = {}
        self._lock = threading.Lock()

    def get(self, url: str) -> CachedResponse | None:
        """The kept response for a URL, if any."""
        with self._lock:
            return self._entries.get(url)

    def put(self, response: CachedResponse) -> None:
        """Keep a response, replacing any for the same URL."""
        with self._lock:
            self._entries[response.url] = response


class DirectoryCache:
    """A cache in a folder: one JSON file per URL, written atomically.

    Args:
        folder: The folder; created when missing. An unreadable entry counts as missing.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, url: str) -> Path:
        return self.folder / f"{hashlib.sha256(url.encode()).hexdigest()[:32]}.json"

    def get(self, url: str) -> CachedResponse | None:
        """The kept response for a URL, if any."""
        try:
            raw = json.loads(self._path(url).read_text(encoding="utf-8"))
            if raw["url"] != url:
                return None
            return CachedResponse(url, raw["etag"], raw["last_modified"], raw["body"].encode("utf-8"))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def put(self, response: CachedResponse) -> None:
        """Keep a response, replacing any for the same URL."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._path(response.url)
        entry = {
            "url": response.url,
            "etag": response.etag,
            "last_modified": response.last_modified,
            "body": response.body.decode("utf-8", errors="replace"),
        }
        temporary = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        temporary.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, path)
