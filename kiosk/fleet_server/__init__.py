"""The fleet service (province server): kiosks report to it, take signed updates from it and leave
their data key and audit anchors with it; counter officers see help requests on its console page
and the province watches its dashboard (docs/fleet.md).

It has its own database (PostgreSQL, or SQLite for a single office), models and Alembic
migrations; it keeps no personal data. Only `kiosk/cli/fleet*.py` import it.
"""
