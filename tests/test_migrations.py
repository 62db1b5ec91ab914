"""The migrations and the models describe the same schema."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from pars.core.db import include_in_migrations


def test_migrations_match_the_models(app):
    with app.extensions["pars_engine"].connect() as connection:
        options = {"compare_type": True, "include_object": include_in_migrations}
        context = MigrationContext.configure(connection, opts=options)
        assert compare_metadata(context, SQLModel.metadata) == []
