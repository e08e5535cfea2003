"""Data analyses of public releases (one subpackage per release, registered in
:data:`astrocevns.datasets.recasting.DATA_RELEASES`), their combination and their pseudo-experiments.
"""
