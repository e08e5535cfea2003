"""What a run shows: the figures' descriptions and drawing, the paper's claims checked, and the comparison of
configurations (scan tables, the deviation ledger).
"""
