"""Recast of the XENONnT 2024 light-dark-matter data release (arXiv:2409.17868) for light mediators.

XENONnT published, for re-interpretation, the templates of its search in the neutrino fog: the
solar 8B CEvNS background among the others, mono-energetic nuclear-recoil templates from which the
template of any recoil spectrum is built, the yield models, the unblinded events of both science
runs and the statistical model. A light mediator changes only the 8B CEvNS component.

- :mod:`.release`: the derived subset of the release (``resources/xenonnt_2024``), read and checked;
- :mod:`.response`: the detector response to a recoil spectrum, from the mono-energetic templates;
- :mod:`.likelihood`: a vectorised profile likelihood of binned Poisson counts with constrained
  multipliers (any number of fits at once);
- :mod:`.model`: the release's statistical model on top of it, with the yield parameters profiled
  over a grid of yield points (the released anchors, or finer with interpolated templates);
- :mod:`.recast`: the test statistic on the (g, m) grid from the coefficients (a, b, c) of a binned
  spectrum N = a + b g^2 + c g^4, and the spin-independent WIMP limit that validates the chain.
"""
