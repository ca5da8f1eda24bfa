"""Space and structures (PyNN's pineal.space). Only the default Line
structure exists so far; distance-based connectivity comes with the
connectivity issue."""

import numpy as np


class Space:
    def __init__(self, axes=None, scale_factor=1.0, offset=0.0, periodic_boundaries=None):
        self.axes = axes
        self.scale_factor = scale_factor
        self.offset = offset
        self.periodic_boundaries = periodic_boundaries


class Line:
    """Cells on a line: x = x0 + dx * i."""

    def __init__(self, dx=1.0, x0=0.0, y=0.0, z=0.0):
        self.dx, self.x0, self.y, self.z = dx, x0, y, z

    def generate_positions(self, n):
        return np.vstack([self.x0 + self.dx * np.arange(n, dtype=float), np.full(n, self.y),
                          np.full(n, self.z)])

    def get_parameters(self):
        return {"dx": self.dx, "x0": self.x0, "y": self.y, "z": self.z}
