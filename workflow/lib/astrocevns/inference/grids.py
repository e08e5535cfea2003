"""The (g, m) grid: log-spaced axes from their config entries {min, max, n}."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np


def log_axis(spec: Mapping[str, float]) -> np.ndarray:
    """n log-spaced values from min to max (both included)."""
    return np.geomspace(float(spec["min"]), float(spec["max"]), int(spec["n"]))
