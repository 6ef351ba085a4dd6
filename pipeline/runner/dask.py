"""Run the same unit function on Dask distributed (`pip install .[dask]`).

`--scheduler ADDRESS` connects to an existing cluster; otherwise a local cluster of `workers` processes
(one thread each) is started and closed with the run. Workers must see the raw and staging folders at
the same paths (shared storage), since each unit reads its inputs and writes its own part files.
"""
from __future__ import annotations

from typing import Iterator


def map_units(units, raw: str, staging: str, settings, scheduler: str | None, workers: int) -> Iterator[dict]:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError as exc:  # pragma: no cover - depends on the optional extra
        raise SystemExit("error: --engine dask needs the dask extra: pip install '.[dask]'") from exc
    from .local import process_unit

    if not units:
        return
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        futures = client.map(process_unit, units, raw=raw, staging=staging, settings=settings, pure=False)
        for future in as_completed(futures):
            yield future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
