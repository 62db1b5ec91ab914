"""Alembic environment: migrates the engine the app hands over (or DATABASE_URL by hand)."""

import os

from alembic import context
from sqlmodel import SQLModel

import pars.models  # noqa: F401  (registers every table on SQLModel.metadata)
from pars.core.db import include_in_migrations, make_engine

config = context.config
target_metadata = SQLModel.metadata


def run_migrations() -> None:
    engine = config.attributes.get("engine") or make_engine(os.environ["DATABASE_URL"])
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode rebuilds a table by copying it and dropping the old one, which foreign
            # keys would refuse; they are off for the migration and checked whole after it.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        with connection.begin():
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=True,  # SQLite needs batch mode for ALTER TABLE
                compare_type=True,
                include_object=include_in_migrations,
            )
            context.run_migrations()
            if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                raise RuntimeError("A migration left rows that break a foreign key.")
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


run_migrations()
