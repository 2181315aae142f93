"""Alembic environment of the fleet service: the engine comes from `kiosk.fleet_server.db`."""

from alembic import context

from kiosk.fleet_server.db import VERSION_TABLE
from kiosk.fleet_server.models import Base

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        version_table=VERSION_TABLE,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    context.run_migrations()
