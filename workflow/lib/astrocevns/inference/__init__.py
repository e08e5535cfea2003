"""Statistics on the (g, m) plane: the chi-square of eqs. 21-24 and the other statistics of the analyses,
exclusion grids, contours, exact edges, bounds and pseudo-experiments.
"""
