"""Declaration → one flat fact per subject (party, transfer, terminal, contract, plan)."""
