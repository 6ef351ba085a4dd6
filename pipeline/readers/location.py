"""Where input lives: a plain path (a `pathlib.Path`, the local fast path, unchanged) or an fsspec URL
(`s3://bucket/prefix`, `gs://`, `abfs://`, `file://`, any protocol fsspec knows), wrapped as a `UrlPath`
that answers the few questions the readers and the planner ask of a path: its name and suffix, `stat()`
(size, modification time and the object store's ETag, from the listing: no extra request), `open("rb")`
(a seekable fsspec file), `relative_to`, `/`.

The filesystem object is never pickled with a `UrlPath`: it is looked up from the URL in each process
(fsspec caches one instance per process and starts afresh after a fork), so worker processes and Dask
workers open their own connections. Credentials and endpoints come from the usual places (for S3:
`AWS_PROFILE`, `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, `AWS_ENDPOINT_URL` for an S3-compatible
server; fsspec's own configuration: `FSSPEC_S3_...` variables or `~/.config/fsspec/*.json`).
"""
from __future__ import annotations

import glob
import posixpath
import re
from datetime import datetime
from typing import IO, NamedTuple

# scheme://rest: a URL names a store by its protocol (two letters at least, so a Windows drive `C:\` is not one)
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]+://")


def is_url(value) -> bool:
    """True for an fsspec URL (`s3://b/p`, `file:///tmp/x`), False for a plain path.

    >>> is_url("s3://bucket/raw"), is_url("file:///tmp/raw"), is_url("raw/"), is_url("C:/data")
    (True, True, False, False)
    """
    return isinstance(value, (str, UrlPath)) and bool(_URL.match(str(value)))


def missing_package(protocol: str, exc: Exception) -> ImportError:
    """What to install for a protocol (the s3 extra for S3; the fsspec driver's own package otherwise)."""
    driver = {"s3": "'listing-pipeline[s3]' (s3fs)", "s3a": "'listing-pipeline[s3]' (s3fs)", "gs": "gcsfs",
              "gcs": "gcsfs", "abfs": "adlfs", "az": "adlfs", "abfss": "adlfs"}.get(protocol, "fsspec and its driver")
    return ImportError(f"{protocol}:// URLs need fsspec and a driver: pip install {driver} ({exc})")


def filesystem(url: str):
    """(fsspec filesystem, path inside it) for a URL; an ImportError that says what to install."""
    try:
        import fsspec
    except ImportError as exc:
        raise missing_package(url.split("://", 1)[0], exc) from None
    try:
        return fsspec.core.url_to_fs(url)
    except (ImportError, ValueError) as exc:
        raise missing_package(url.split("://", 1)[0], exc) from None


class RemoteStat(NamedTuple):
    """What `os.stat` gives the planner, from an object store's listing: st_ino is 0, `etag` is the store's
    content tag (S3/Azure ETag, GCS md5 or generation; None where the store has none, e.g. file://)."""
    st_size: int
    st_mtime_ns: int
    st_ino: int
    etag: str | None


def _mtime_ns(info: dict) -> int:
    for key in ("LastModified", "last_modified", "mtime", "updated", "modified", "created"):
        value = info.get(key)
        if value is None:
            continue
        if isinstance(value, datetime):
            return int(value.timestamp() * 1e9)
        if isinstance(value, (int, float)):
            return int(value * 1e9)
        try:
            return int(datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp() * 1e9)
        except ValueError:
            continue
    return 0


def remote_stat(info: dict) -> RemoteStat:
    etag = next((str(info[k]).strip('"') for k in ("ETag", "etag", "md5Hash", "generation") if info.get(k)), None)
    return RemoteStat(int(info.get("size") or 0), _mtime_ns(info), 0, etag)


class UrlPath:
    """A file or prefix in an fsspec store, by URL. `info` is the listing's record of it, when known."""

    __slots__ = ("url", "_info")

    def __init__(self, url: str, info: dict | None = None):
        self.url = str(url).rstrip("/") if not str(url).endswith("://") else str(url)
        self._info = info

    # ---- the pathlib-like surface the readers and the planner use
    def __str__(self) -> str:
        return self.url

    def __repr__(self) -> str:
        return f"UrlPath({self.url!r})"

    def __fspath__(self):   # never opened as a local path by accident
        raise TypeError(f"{self.url} is a URL, not a local path")

    def __eq__(self, other) -> bool:
        return isinstance(other, UrlPath) and other.url == self.url

    def __hash__(self) -> int:
        return hash(self.url)

    def __reduce__(self):
        return (UrlPath, (self.url, self._info))

    def __truediv__(self, rel: str) -> "UrlPath":
        rel = str(rel)
        if is_url(rel):   # a single file or glob's item names its whole URL (as a local one is absolute)
            return UrlPath(rel)
        return UrlPath(f"{self.url}/{rel.lstrip('/')}")

    @property
    def protocol(self) -> str:
        return self.url.split("://", 1)[0]

    @property
    def name(self) -> str:
        return posixpath.basename(self.url.split("://", 1)[1])

    @property
    def suffix(self) -> str:
        return posixpath.splitext(self.name)[1]

    @property
    def parent(self) -> "UrlPath":
        scheme, rest = self.url.split("://", 1)
        return UrlPath(f"{scheme}://{posixpath.dirname(rest)}")

    def fs_path(self):
        return filesystem(self.url)

    def info(self) -> dict:
        if self._info is None:
            fs, path = self.fs_path()
            self._info = fs.info(path)
        return self._info

    def stat(self) -> RemoteStat:
        try:
            return remote_stat(self.info())
        except FileNotFoundError as exc:
            raise FileNotFoundError(2, "no such object", self.url) from exc

    def exists(self) -> bool:
        fs, path = self.fs_path()
        return fs.exists(path)

    def is_dir(self) -> bool:
        fs, path = self.fs_path()
        return fs.isdir(path)

    def is_symlink(self) -> bool:
        return False

    def resolve(self) -> "UrlPath":
        return self

    def open(self, mode: str = "rb") -> IO[bytes]:
        if mode != "rb":
            raise ValueError("inputs are opened read-only")
        fs, path = self.fs_path()
        return fs.open(path, "rb")

    def relative_to(self, other: "UrlPath") -> "RelPath":
        base = str(other).rstrip("/") + "/"
        if not self.url.startswith(base):
            raise ValueError(f"{self.url} is not under {other}")
        return RelPath(self.url[len(base):])

    def is_relative_to(self, other) -> bool:
        return isinstance(other, UrlPath) and (self.url == other.url or self.url.startswith(other.url + "/"))


class RelPath(str):
    """A '/'-separated path inside a prefix (what `relative_to` gives): a str with `as_posix`."""

    def as_posix(self) -> str:
        return str(self)


def has_magic(url: UrlPath) -> bool:
    return glob.has_magic(url.url.split("://", 1)[1])


def glob_root(url: UrlPath) -> UrlPath:
    """The part of a URL glob before its first wildcard."""
    scheme, rest = url.url.split("://", 1)
    parts = []
    for part in rest.split("/"):
        if glob.has_magic(part):
            break
        parts.append(part)
    return UrlPath(f"{scheme}://{'/'.join(parts)}")


def list_files(raw: UrlPath) -> list[UrlPath]:
    """The objects under a prefix (or matching a glob, or the one object), in a stable order, each with its
    listing's info. Hidden names (a part starting with '.') are skipped, as in a local folder; so are the
    zero-byte "folder" markers some tools create (keys ending in '/')."""
    fs, path = raw.fs_path()
    scheme = raw.protocol
    if has_magic(raw):
        root = glob_root(raw)
        found = {}
        for p in sorted(fs.glob(path)):
            info = fs.info(p)
            if info.get("type") == "directory":
                found.update(fs.find(p, detail=True))
            else:
                found[p] = info
    elif fs.isdir(path):
        root = raw
        found = fs.find(path, detail=True)
    else:
        root = raw.parent
        found = {path: fs.info(path)}
    root_path = root.url.split("://", 1)[1].rstrip("/")
    out = []
    for p in sorted(found, key=walk_order):
        info = found[p]
        if info.get("type") == "directory" or p.endswith("/"):
            continue
        rel = p[len(root_path):].lstrip("/") if p.startswith(root_path) else p
        if any(part.startswith(".") for part in rel.split("/")):
            continue
        out.append(UrlPath(_url(scheme, p), info))
    return out


def walk_order(path: str) -> list[tuple[int, str]]:
    """The local walk's order for '/'-separated keys: a folder's files (by name) before its subfolders (by
    name), depth first; so a prefix is planned, grouped and deduplicated as the same local folder is.

    >>> sorted(["r/b/x.txt", "r/z.txt", "r/a.txt", "r/a/y.txt"], key=walk_order)
    ['r/a.txt', 'r/z.txt', 'r/a/y.txt', 'r/b/x.txt']
    """
    parts = path.split("/")
    return [(1, p) for p in parts[:-1]] + [(0, parts[-1])]


def _url(scheme: str, path: str) -> str:
    if scheme == "file" and not path.startswith("/"):
        path = "/" + path
    return f"{scheme}://{path}"

