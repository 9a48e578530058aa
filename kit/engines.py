"""Scale-out on Dask: chunks of articles become tasks; each worker loads the model once.

``kit build --engine dask`` connects to ``--scheduler ADDRESS`` (a real cluster) or starts a
LocalCluster. Tasks return rows; the client writes them, so a re-run task never duplicates rows.
"""

from __future__ import annotations

from typing import Any

__all__ = ["dask_runner"]


class _DaskRunner:
    """Submits chunk tasks to a Dask client; the futures behave like concurrent.futures ones."""

    def __init__(self, scheduler: str | None, jobs: int) -> None:
        from dask.distributed import Client, LocalCluster

        self._cluster = None
        if scheduler:
            self.client = Client(scheduler)
        else:
            self._cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                         dashboard_address=None)
            self.client = Client(self._cluster)

    def submit(self, fn: Any, *args: Any) -> Any:
        # pure=False: identical chunks in a re-run are computed again, never served stale.
        return self.client.submit(fn, *args, pure=False, retries=2)

    def shutdown(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


def dask_runner(scheduler: str | None, jobs: int) -> _DaskRunner:
    return _DaskRunner(scheduler, jobs)
