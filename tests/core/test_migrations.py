"""The migrations and the models describe the same schema."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

from pars.core.db import alembic_config, include_in_migrations, make_engine, upgrade


def test_migrations_match_the_models(app):
    with app.extensions["pars_engine"].connect() as connection:
        options = {"compare_type": True, "include_object": include_in_migrations}
        context = MigrationContext.configure(connection, opts=options)
        assert compare_metadata(context, SQLModel.metadata) == []


def test_migrations_have_exactly_one_head(app):
    """Two migrations written side by side (two branches) must be merged before they land."""
    scripts = ScriptDirectory.from_config(alembic_config(app.extensions["pars_engine"]))
    assert len(scripts.get_heads()) == 1, scripts.get_heads()


def test_upgrade_head_from_empty_gives_the_models_schema(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    upgrade(engine)
    with engine.connect() as connection:
        options = {"compare_type": True, "include_object": include_in_migrations}
        context = MigrationContext.configure(connection, opts=options)
        assert compare_metadata(context, SQLModel.metadata) == []
    engine.dispose()
