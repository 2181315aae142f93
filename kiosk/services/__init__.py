"""Services the journey calls: identity (card, QR), face, dossier, account, payment, printing,
status. `protocols.py` is the contract; `wiring.py` builds the set for a configuration."""
