"""Turn mixed-language Vietnamese marketplace listings into clean, typed Parquet datasets."""

__version__ = "0.1.0"
