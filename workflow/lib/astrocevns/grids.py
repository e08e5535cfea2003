"""The (g, m) grid: log-spaced axes from their config entries {min, max, n}."""

import numpy as np


def log_axis(spec):
    """n log-spaced values from min to max (both included)."""
    return np.geomspace(float(spec["min"]), float(spec["max"]), int(spec["n"]))
