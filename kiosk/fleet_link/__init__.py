"""The kiosk's side of the province's fleet service (docs/fleet_link.md).

A durable queue of events without personal data (heartbeats, help requests, audit anchors) in the
kiosk's store; a sender on its own thread that POSTs them to `/api/v1/sync` with bounded I/O,
hands the counter's acknowledgements to the help desk and applies signed catalogue and trust
updates. The citizen never waits on any of it.
"""
