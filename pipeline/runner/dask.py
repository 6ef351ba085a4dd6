"""Run the same unit function on Dask distributed (`pip install .[dask]`).

`--scheduler ADDRESS` connects to an existing cluster; otherwise a local cluster of `workers` processes
(one thread each) is started and closed with the run. Workers must see the raw and staging folders at
the same paths (shared storage), since each unit reads its inputs and writes its own part files.

What a real cluster needs beyond a local one:
- Paths are made absolute on the client before they are sent: a worker's working directory is its own
  (a pod's, a batch job's), so `--raw raw/` would name nothing there (fsspec URLs are sent as they are).
- Every unit checks on its worker that the worker's package and lexicon (`code_fingerprint`, which also
  hashes the version) equal the client's, and refuses otherwise (`WorkerMismatch`): a worker with other code
  would write rows the unit keys say were made by this code. Before any unit is sent, the workers already
  connected are asked the same and whether they see the raw and staging folders, so a wrong cluster fails
  at once with every bad worker named.
- A worker that cannot reach an input or output URL (a wrong endpoint, no credentials, the store down) stops
  the run with one message naming the worker and the URL (`StoreUnreachable`), not a storage library's
  traceback, nor every input counted as an 'unreadable' reject: the workers connected at the start are
  asked before any unit is sent, and each worker tries the URL before its first unit.
- The garbage collector is not frozen on Dask workers (the local engine freezes it in its short-lived
  worker processes): a long-lived worker would keep every object alive at each freeze for good.
"""
from __future__ import annotations

import glob
import os
from typing import Iterator

from pipeline.readers import is_url

from .plan import code_fingerprint

CONNECT_TIMEOUT_S = 30    # reaching the scheduler given by --scheduler


class WorkerMismatch(SystemExit):
    """A Dask worker runs other code (or cannot see the shared folders) than the client: the run stops with
    this message (a SystemExit, so the command line prints it without a traceback; exit status 1)."""


class WorkerRefused(RuntimeError):
    """Raised on a worker (a plain exception, which Dask sends back; the client turns it into WorkerMismatch)."""


class StoreUnreachable(WorkerMismatch):
    """A Dask worker cannot reach the run's object store (exit status 1, the message names worker and URL)."""


class WorkerCannotReach(RuntimeError):
    """Raised on a worker that cannot reach a URL (sent back by Dask; the client raises StoreUnreachable)."""


# Errors that say a URL cannot be reached, by the top-level package of their class (a storage library's own
# exceptions are not OSErrors: botocore's EndpointConnectionError, NoCredentialsError, ...).
STORAGE_ERROR_PACKAGES = frozenset({"botocore", "aiobotocore", "s3fs", "fsspec", "gcsfs", "adlfs", "aiohttp",
                                    "google", "azure"})


def _storage_error(exc: BaseException) -> bool:
    return isinstance(exc, OSError) or type(exc).__module__.split(".")[0] in STORAGE_ERROR_PACKAGES


def _worker_name() -> str:
    try:
        from distributed import get_worker
        return f"{get_worker().address} (pid {os.getpid()})"
    except (ImportError, ValueError):
        return f"pid {os.getpid()}"


def _unreachable(url: str) -> str | None:
    """Why this process cannot read `url` (one request for the object or prefix), or None."""
    from pipeline.readers.location import filesystem
    try:
        fs, path = filesystem(url)
        fs.info(path)
    except FileNotFoundError:
        return None   # reached: the store answered (an output prefix may not exist yet)
    except Exception as exc:  # noqa: BLE001 - any failure to reach the store is reported with its class
        return f"{type(exc).__name__}: {exc}".strip()
    return None


_REACHED: set[str] = set()   # URLs this worker process has reached (tried once per process)


def _reach(*urls: str) -> None:
    """On a worker: raise WorkerCannotReach naming the worker and the URL unless every URL answers."""
    for url in urls:
        if not is_url(url) or url in _REACHED or glob.has_magic(url):
            continue
        why = _unreachable(url)
        if why is not None:
            raise WorkerCannotReach(f"error: the Dask worker {_worker_name()} cannot reach {url}: {why}; check "
                                    f"the worker's endpoint and credentials (e.g. AWS_ENDPOINT_URL, "
                                    f"AWS_ACCESS_KEY_ID) and that the store is up")
        _REACHED.add(url)


_FINGERPRINT: str | None = None


def _worker_fingerprint() -> str:
    """This process's code fingerprint, computed once (it hashes every file of the package)."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        _FINGERPRINT = code_fingerprint()
    return _FINGERPRINT


def _mismatch(expected: str, client_version: str) -> str | None:
    from pipeline import __version__
    got = _worker_fingerprint()
    if got == expected:
        return None
    return (f"runs listing-pipeline {__version__} (code fingerprint {got[:12]}, package at "
            f"{os.path.dirname(os.path.dirname(os.path.abspath(__file__)))}) but the client runs "
            f"{client_version} (fingerprint {expected[:12]})")


def check_worker(raw: str, staging: str, expected: str, client_version: str) -> list[str]:
    """On a worker: what is wrong with it for this run (empty when nothing)."""
    problems = []
    if (why := _mismatch(expected, client_version)) is not None:
        problems.append(why)
    for role, path in (("raw input", raw), ("staging folder", staging)):
        if glob.has_magic(path):   # a glob names no one object or folder to look for
            continue
        if is_url(path):
            if (why := _unreachable(path)) is not None:
                problems.append(f"cannot reach the {role} {path}: {why}")
        elif not os.path.exists(path):
            problems.append(f"does not see the {role} {path} (cwd {os.getcwd()})")
    return problems


def run_unit(unit, raw: str, staging: str, settings, expected: str, client_version: str) -> dict:
    """On a worker: refuse when its code differs from the client's, then process the unit (no gc.freeze)."""
    from .local import process_unit
    if (why := _mismatch(expected, client_version)) is not None:
        raise WorkerRefused(f"error: a Dask worker (pid {os.getpid()}) {why}; install the same version on every "
                             f"worker and the client (the same package and lexicon files)")
    _reach(raw, staging)
    try:
        return process_unit(unit, raw, staging, settings, freeze_gc=False)
    except Exception as exc:
        if (is_url(raw) or is_url(staging)) and _storage_error(exc):
            url = raw if is_url(raw) else staging
            raise WorkerCannotReach(f"error: the Dask worker {_worker_name()} failed on {url} (unit {unit.key}): "
                                    f"{type(exc).__name__}: {exc}") from None
        raise


def _refuse(problems: dict[str, list[str]]) -> None:
    lines = [f"  {addr} {why}" for addr, whys in sorted(problems.items()) for why in whys]
    store = any(why.startswith("cannot reach") for whys in problems.values() for why in whys)
    raise (StoreUnreachable if store else WorkerMismatch)(
        "error: the Dask workers cannot run this job:\n" + "\n".join(lines) +
        "\nevery worker needs the same listing-pipeline version as the client and the raw and "
        "output folders at the same absolute paths (shared storage); see docs/scale.md, Cluster guide" +
        ("\na worker that cannot reach a URL needs the store's endpoint and credentials in its environment "
         "(e.g. AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID) and the store up" if store else ""))


def map_units(units, raw: str, staging: str, settings, scheduler: str | None, workers: int) -> Iterator[dict]:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError as exc:  # pragma: no cover - depends on the optional extra
        raise SystemExit("error: --engine dask needs the dask extra: pip install '.[dask]'") from exc
    from pipeline import __version__

    if not units:
        return
    # Workers have their own working directory: send absolute paths (abspath, not resolve: a source is named
    # relative to the raw folder as given, symlinks and all).
    # An fsspec URL (`s3://...`) is the same everywhere and stays as it is.
    raw, staging = (p if is_url(p) else os.path.abspath(p) for p in (raw, staging))
    expected = code_fingerprint()
    cluster = None
    if scheduler:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT_S)
        except OSError as exc:
            raise SystemExit(f"error: cannot reach the Dask scheduler {scheduler}: {exc}") from None
    else:
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        # The workers connected now: each is asked once (workers joining later are checked by each unit).
        problems = {addr: why for addr, why in client.run(check_worker, raw, staging, expected, __version__).items()
                    if why}
        if problems:
            _refuse(problems)
        futures = client.map(run_unit, units, raw=raw, staging=staging, settings=settings, expected=expected,
                             client_version=__version__, pure=False)
        try:
            for future in as_completed(futures):
                try:
                    yield future.result()
                except WorkerRefused as exc:
                    raise WorkerMismatch(str(exc)) from None
                except WorkerCannotReach as exc:
                    raise StoreUnreachable(str(exc)) from None
                except ModuleNotFoundError as exc:   # the task could not even be unpickled on the worker
                    raise WorkerMismatch(f"error: a Dask worker cannot import {exc.name!r}: install "
                                         f"listing-pipeline {__version__} on every worker") from None
        finally:
            client.cancel(futures)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
