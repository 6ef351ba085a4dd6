"""`bench --repeat N`: every job measured N times, the table gives each job's best run with the range of its
runs and of the ratios taken within one round."""
from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT
from pipeline.cli.bench import print_table


def result(seconds: float, listings: int = 100, startup: float = 0.5) -> dict:
    return {"listings": listings, "seconds": seconds, "peak_rss_mb": 200.0, "startup_seconds": startup,
            "cpu_seconds": seconds}


def test_the_table_shows_the_best_run_and_the_range_of_same_run_ratios(capsys):
    runs = {("floor", 1): [result(1.0), result(2.0)], ("pipeline", 1): [result(10.0), result(12.0)],
            ("pipeline", 2): [result(5.0), result(8.0)]}
    print_table(runs, mb=1.0, workers=2)
    out = capsys.readouterr().out
    # best of each: 100 / 10 s; its runs gave 8.3 and 10.0 listings/s; vs that round's floor 10x and 6x
    assert "| pipeline | 1 | 100 | 10.00 | 10.0 | 10.0 | 0.10 | 200 | 10.00x | 2 | 8.3-10.0 | 6.00-10.00x |" in out
    # rounds: 10/5 = 2.00 and 12/8 = 1.50; best vs best 10/5; without the 0.5 s start-up 9.5/4.5 and 11.5/7.5
    assert "speed-up 2 workers vs 1: 2.00x (best vs best); same-run ratios 1.50-2.00x; without start-up 1.53-2.11x" in out


def test_one_run_gives_the_plain_table(capsys):
    print_table({("pipeline", 1): [result(10.0)]}, mb=1.0, workers=2)
    out = capsys.readouterr().out
    assert "range" not in out and "| pipeline | 1 | 100 | 10.00 | 10.0 |" in out


def test_bench_repeat_measures_every_job_n_times(tmp_path):
    res = subprocess.run([sys.executable, "-m", "pipeline", "bench", "-n", "4", "--jobs", "floor,pipeline-1",
                          "--repeat", "2", "--work", str(tmp_path / "bench")], capture_output=True, text=True,
                         cwd=ROOT)
    assert res.returncode == 0, res.stderr
    assert res.stderr.count("(run 2/2)") == 2
    rows = [line for line in res.stdout.splitlines() if re.match(r"\| (floor|pipeline) \| 1 \| 4 \|", line)]
    assert len(rows) == 2 and all(line.split("|")[10].strip() == "2" for line in rows)
    assert "best of 2" in res.stdout


def test_each_jobs_start_up_imports_what_it_runs():
    """Start-up is the job's imports: the modules its code then takes its names from, so they are loaded by
    then (the runner package imports its modules on first use, so naming the package would time nothing)."""
    from pipeline.cli import bench
    where = {"pipeline": "pipeline.runner.local", "export": "pipeline.runner.export", "floor": "pipeline.runner.write"}
    for job, module in where.items():
        assert module in bench._STARTUP_IMPORTS[job]
