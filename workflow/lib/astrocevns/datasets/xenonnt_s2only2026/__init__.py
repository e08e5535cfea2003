"""Analysis of the XENONnT S2-only (ionisation-only) light-dark-matter data release, SR0 + SR1 + SR2
(arXiv:2601.11296, 7.83 t yr, 0.5-5 keV nuclear recoils), for light mediators.

The release gives the response of its 7 cS2 bins to mono-energetic nuclear recoils per science run and
charge-yield anchor, its backgrounds (the solar 8B CEvNS among them), the observed events and its
statistical model. A light mediator changes only the CEvNS component.

- :mod:`.release`: the derived subset of the release (``resources/xenonnt_s2only_2026``), read and checked;
- :mod:`.response`: the response to a recoil spectrum, from the mono-energetic matrices;
- :mod:`.model`: the release's statistical model, its shape parameters profiled continuously;
- :mod:`.recast`: the CEvNS templates of a (g, m) grid, three per mass; the grid, the exclusion and the
  tables are those of :mod:`astrocevns.datasets.recasting`.
"""
