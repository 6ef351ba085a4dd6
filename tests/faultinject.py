"""Run `python -m pipeline run ...` and SIGKILL the process at its K-th file-system change.

    python tests/faultinject.py K -- run --raw RAW --out OUT

Counts the calls that change the tree (unlink, rmdir, rename, replace, link, and the renameat2 exchange)
and kills the process with SIGKILL just before call K, as a power cut or `kill -9` would (no finally
blocks, no lock release). K = 0 kills nothing and prints the number of calls made to stderr at exit.
One unit per input file (GROUP_EVERY = 1), so duplicates across files cross units.
"""
from __future__ import annotations

import atexit
import os
import signal
import sys

kill_at = int(sys.argv[1])
calls = 0


def counted(fn):
    def wrapper(*args, **kw):
        global calls
        calls += 1
        if calls == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        return fn(*args, **kw)
    return wrapper


for name in ("unlink", "remove", "rmdir", "rename", "replace", "link"):
    setattr(os, name, counted(getattr(os, name)))

import pipeline.runner.plan  # noqa: E402
import pipeline.runner.write  # noqa: E402
from pipeline.__main__ import main  # noqa: E402

pipeline.runner.plan.GROUP_EVERY = 1
pipeline.runner.write._exchange = counted(pipeline.runner.write._exchange)
if kill_at == 0:
    atexit.register(lambda: print(f"calls: {calls}", file=sys.stderr))
sys.exit(main(sys.argv[sys.argv.index("--") + 1:]))
