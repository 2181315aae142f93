"""The real fleet service (tests/kiosk/fleet_server/conftest.py: uvicorn on a free port, a fresh
PostgreSQL database) for the kiosk-side tests of this folder."""

from tests.kiosk.fleet_server.conftest import clock, fleet, fleet_db  # noqa: F401
