"""The notebooks run headless (nbclient) on fresh pipeline outputs, and are stored without outputs.

`python -m pipeline run` writes the repo's raw/ (the one sample listing) into a temporary folder — never
into processed/ — and each notebook is executed against it through PIPELINE_PROCESSED; a second folder
adds a few small JSON records so the multi-listing paths run too. The kernel is this interpreter's
ipykernel: the test writes its kernelspec into a temporary JUPYTER_PATH, which Jupyter searches before
the user's and the system's kernelspecs, so nothing is installed and another `python3` kernel cannot
shadow it.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("duckdb")
pytest.importorskip("matplotlib")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
NAMES = ["01-explore-outputs.ipynb", "02-policy-comparison.ipynb"]
CELL_TIMEOUT = 120

EXTRA = [
    {"id": "nb-1", "title": "Bình giữ nhiệt inox 500ml",
     "description": "<h2>Đặc điểm nổi bật</h2><ul><li>Chất liệu inox 304</li><li>Giữ nhiệt 12 giờ</li></ul>"
                    "<h2>Chính sách bảo hành</h2><p>Bảo hành 12 tháng cho lỗi của nhà sản xuất.</p>"
                    "<p>Đổi trả trong 7 ngày nếu sản phẩm lỗi.</p>"},
    {"id": "nb-2", "title": "Ceramic mug 350 ml",
     "description": "A sturdy ceramic mug, 350 ml, dishwasher safe.\nColour: white. Height 9.5 cm."},
]


def pipeline_run(raw: Path, out: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "pipeline", "run", "--raw", str(raw), "--out", str(out),
                           "--workers", "1", "--quiet"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, Path]:
    """{'seed': output of raw/ alone (1 listing), 'multi': raw/ plus a few JSON records}."""
    base = tmp_path_factory.mktemp("nb")
    seed_out = base / "seed" / "processed"
    pipeline_run(ROOT / "raw", seed_out)
    multi_raw = base / "multi-raw"
    shutil.copytree(ROOT / "raw", multi_raw)
    with open(multi_raw / "extra.jsonl", "w", encoding="utf-8") as fh:
        for rec in EXTRA:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    multi_out = base / "multi" / "processed"
    pipeline_run(multi_raw, multi_out)
    return {"seed": seed_out, "multi": multi_out}


@pytest.fixture()
def kernel_env(tmp_path, monkeypatch):
    """A python3 kernelspec for this interpreter, found first; runtime and IPython dirs in tmp."""
    from ipykernel.kernelspec import write_kernel_spec
    jupyter_path = tmp_path / "jupyter"
    write_kernel_spec(path=str(jupyter_path / "kernels" / "python3"))
    monkeypatch.setenv("JUPYTER_PATH", str(jupyter_path))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.delenv("PIPELINE_DOC_ID", raising=False)
    return monkeypatch


def execute(name: str, processed: Path, monkeypatch) -> "nbformat.NotebookNode":
    monkeypatch.setenv("PIPELINE_PROCESSED", str(processed))
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()   # raises CellExecutionError (with the cell and traceback) on the first failing cell
    return nb


def texts(nb) -> str:
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            out.append(o.get("text", "") + o.get("data", {}).get("text/plain", ""))
    return "\n".join(out)


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_stored_without_outputs(name):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    dirty = [i for i, c in enumerate(nb.cells)
             if c.cell_type == "code" and (c.outputs or c.execution_count is not None)]
    assert not dirty, f"{name}: cells {dirty} have outputs; clear them before committing"


@pytest.mark.parametrize("folder", ["seed", "multi"])
@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_headless(name, folder, outputs, kernel_env):
    nb = execute(name, outputs[folder], kernel_env)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
    images = [o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert images, "the charts were drawn"
    text = texts(nb)
    assert str(outputs[folder]) in text, "the notebook read the folder given in PIPELINE_PROCESSED"
    n = 1 if folder == "seed" else 1 + len(EXTRA)
    if name.startswith("01"):
        assert f"{n} listing(s)" in text and "section(s)" in text
    else:
        assert f"{n} listing(s)" in text and "state at least one policy fact" in text
