"""The public service portal: its API contract (`openapi.yaml`), the kiosk's HTTP client
(`client.py`) and the local portal that implements the contract on loopback (`local_server.py`)."""
