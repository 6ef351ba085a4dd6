"""Execution engines beside the local runner. Each maps `run.process_unit` over units of work."""
