"""Resolution: many documents -> one account (councils, loose references to inspections, merging)."""
