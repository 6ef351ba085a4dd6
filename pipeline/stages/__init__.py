# TRANSITIONAL SHIM (branch `sections`), to be replaced by the re-housing's own pipeline/stages/__init__.py:
# a package directory shadows the module pipeline/stages.py of the same name, so until that module moves
# here this file loads it and re-exports its names (`from pipeline.stages import process` keeps working).
import importlib.util as _ilu
import sys as _sys
from pathlib import Path as _Path

_name = "pipeline._stage_registry"
if _name not in _sys.modules:
    _spec = _ilu.spec_from_file_location(_name, _Path(__file__).resolve().parent.parent / "stages.py")
    _mod = _ilu.module_from_spec(_spec)
    _sys.modules[_name] = _mod
    _spec.loader.exec_module(_mod)
globals().update({k: v for k, v in vars(_sys.modules[_name]).items() if not k.startswith("__")})
