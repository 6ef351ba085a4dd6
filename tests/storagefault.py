"""Run `python -m pipeline ...` and SIGKILL the process at its K-th object uploaded to S3.

    python tests/storagefault.py K -- run --raw s3://b/raw --out s3://b/out --staging DIR

Counts s3fs's per-file uploads (`S3FileSystem._put_file`, the async call behind `put`) and kills the
process with SIGKILL just before upload K, as a power cut or `kill -9` would while a run is publishing.
K = 0 kills nothing and prints the number of uploads to stderr at exit. One unit per input file
(GROUP_EVERY = 1), so a run has several units to upload.
"""
from __future__ import annotations

import atexit
import os
import signal
import sys

import s3fs

kill_at = int(sys.argv[1])
calls = 0
_put_file = s3fs.S3FileSystem._put_file


async def counted_put_file(self, *args, **kw):
    global calls
    calls += 1
    if calls == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)
    return await _put_file(self, *args, **kw)


s3fs.S3FileSystem._put_file = counted_put_file

import pipeline.runner.plan  # noqa: E402
from pipeline.__main__ import main  # noqa: E402

pipeline.runner.plan.GROUP_EVERY = 1
if kill_at == 0:
    atexit.register(lambda: print(f"uploads: {calls}", file=sys.stderr))
sys.exit(main(sys.argv[sys.argv.index("--") + 1:]))
