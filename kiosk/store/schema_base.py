"""What every SQLAlchemy schema of the project shares (the kiosk's store, the fleet service's
database): one constraint-naming convention, so Alembic migrations name constraints the same way
on SQLite and PostgreSQL, and timestamps in UTC."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import MetaData

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def named_metadata() -> MetaData:
    """A schema's own metadata, with the shared naming convention."""
    return MetaData(naming_convention=NAMING)
