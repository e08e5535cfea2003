"""The physics: constants, nuclei and form factors, cross sections with light mediators, models by their charges,
neutrino sources and fluxes, oscillations, detectors, binned recoil spectra, the supernova core and WIMP recoils.

Pure functions on arrays; the readers of input files live in :mod:`astrocevns.tables`.
"""
