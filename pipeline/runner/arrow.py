"""How a command's process sets pyarrow up: without pandas, which no command uses (`arrow_without_pandas`)."""
from __future__ import annotations

import sys


def arrow_without_pandas() -> None:
    """Spare a command's process the import of pandas (about 0.25 s of CPU at start-up), which no command uses.

    pyarrow imports pandas at its first conversion of Python objects (`pa.array`), only to ask whether they are
    pandas objects, and keeps the answer. Asked once with pandas hidden, it answers no: pandas stays importable
    and pyarrow's own pandas functions (`Table.to_pandas`) import it when called. Only for a process started as
    a command (`main()` without arguments, the bench's jobs), whose objects the pipeline makes itself: a
    library caller may hand pyarrow a DataFrame. Nothing is done once pandas is imported.
    """
    if "pandas" in sys.modules:
        return
    sys.meta_path.insert(0, _PandasHidden)
    try:
        import pyarrow as pa
        pa.array([])   # the question is asked here, once
    except ImportError:   # a pyarrow that insists on pandas here: it is imported as before, on first use
        pass
    finally:
        sys.meta_path.remove(_PandasHidden)


class _PandasHidden:
    """An import finder for which pandas is not installed."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        if name == "pandas":
            raise ModuleNotFoundError("No module named 'pandas' (hidden from pyarrow)", name=name)
        return None
