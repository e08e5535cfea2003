"""astro-cevns: coherent elastic neutrino-nucleus scattering with light mediators.

The library behind the workflow that regenerates the bounds of Suliga & Tamborra,
"Astrophysical constraints on non-standard coherent neutrino-nucleus scattering",
Phys. Rev. D 103, 083002 (2021), arXiv:2010.14545. Pure functions on arrays; no I/O
inside the physics modules (readers live in :mod:`astrocevns.tables.io`).
"""

__version__ = "0.3.0"
