"""The local portal: the portal API contract (`kiosk/portal/openapi.yaml`) served on loopback, for
demo mode, training and tests. Never part of a production kiosk's path: only the composition
root's demo branch (`kiosk.runtime`) and `kiosk portal-serve` import it, lazily.

- `schema.py`: its own SQLite tables and the database wrapper;
- `rules.py`: what the portal does (tokens, idempotent submission, status, fees, accounts/OTP);
- `faults.py`: injected latency, errors and dropped answers;
- `routes.py`: HTTP routing onto the rules;
- `server.py`: starting and stopping it (`start_local_portal`, `LocalPortal`).
"""
