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
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,  # SQLite needs batch mode for ALTER TABLE
            compare_type=True,
            include_object=include_in_migrations,
        )
        context.run_migrations()


run_migrations()
