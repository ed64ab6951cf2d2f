"""Alembic environment: runs Tracer's migrations against the configured URL."""

from typing import Any

from alembic import context
from sqlalchemy import create_engine, pool

from bot.storage.models import Base

config = context.config
url = config.get_main_option("sqlalchemy.url")


def include_object(obj: Any, name: Any, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Ignore tables Tracer does not own (Rasa's tracker-store ``events`` table)."""
    if type_ == "table" and reflected and compare_to is None:
        return False
    return True


def run_migrations_offline() -> None:
    """Emit SQL without a database connection (``alembic upgrade --sql``)."""
    context.configure(url=url, target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Apply migrations over a live connection."""
    engine = create_engine(url, poolclass=pool.NullPool, future=True)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            include_object=include_object,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
