"""The services behind the journey's steps: card, camera, dossiers, accounts, payment, printing,
status. `interfaces.py` is the contract the journey sees; `kiosk.runtime` builds the set for a
configuration."""
