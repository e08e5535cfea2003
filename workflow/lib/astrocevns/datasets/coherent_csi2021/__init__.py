"""Analysis of the COHERENT CsI[Na] 2021 data release (arXiv:2110.07730; 14.6 kg, 3.2e23 protons on target,
19.3 m from the SNS target) for light mediators.

The release gives the selected beam-on events of the coincident and anti-coincident windows in
reconstructed energy (PE) and recoil time, the beam-related- and neutrino-induced-neutron PDFs, and the
efficiency and scintillation response with their systematic variants. The CEvNS expectation is built here
from the workflow's own cross sections on Cs and I, the analytic pi-DAR flux and a timing model.

- :mod:`.release`: the derived subset (``resources/coherent_csi_2021``), read and checked;
- :mod:`.timing`: the arrival-time PDFs of the prompt and delayed neutrinos and the timing efficiency;
- :mod:`.response`: quenching, resolution and efficiency: a recoil spectrum to (PE, time) templates at the
  response points (nominal and the release's +-1 sigma variants);
- :mod:`.model`: the binned Poisson likelihood of the coincident and anti-coincident events, profiled;
- :mod:`.recast`: the entry point of :mod:`astrocevns.datasets.recasting`.
"""
