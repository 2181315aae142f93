"""The public service portal: its API contract (`openapi.yaml`) and the kiosk's HTTP client
(`client.py`, configured by `connect.py`). The local portal that implements the contract on
loopback for demo mode and tests is `kiosk.local_portal`, outside the production path."""
