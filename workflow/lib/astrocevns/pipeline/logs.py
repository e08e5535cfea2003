"""Logging set-up for workflow jobs: messages and tracebacks go to the job's log file."""

from __future__ import annotations

import logging
import os
import sys


def to_file(path: str | os.PathLike[str]) -> logging.Logger:
    """Send this process's log records and its standard error to ``path``."""
    stream = open(path, "w")  # noqa: SIM115 - kept open for the life of the job
    sys.stderr = stream
    logging.basicConfig(stream=stream, level=logging.INFO, format="%(asctime)s %(name)s: %(message)s", force=True)
    return logging.getLogger("astrocevns")
