"""Analysis of the COHERENT CENNS-10 liquid-argon data release, Analysis A (arXiv:2003.10630, data release
arXiv:2006.12659, 6.12 GWh at the SNS, 24.4 kg of argon), for light mediators.

The release gives 3-D PDFs in reconstructed energy x F90 x time of the Standard-Model CEvNS, the prompt and delayed
beam-related neutrons (BRN) and the steady-state background, their shape variants, the observed counts, the
acceptance efficiency and the detector parameters. A light mediator changes only the CEvNS component.

- :mod:`.release`: the derived subset of the release (``resources/coherent_lar_2020``), read and checked;
- :mod:`.detector`: quenching, resolution, efficiency and the timing of the prompt and delayed neutrinos;
- :mod:`.response`: the CEvNS template of a recoil spectrum per timing group, from the release's CEvNS PDF
  reweighted per reconstructed-energy bin;
- :mod:`.model`: the binned Poisson likelihood with its normalisations and shape nuisances, profiled for many
  problems at once;
- :mod:`.recast`: the entry point of :mod:`astrocevns.datasets.recasting`.
"""
