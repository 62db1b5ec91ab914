"""The migrations and the models describe the same schema."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

from pars.activities import operations
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


def test_the_id_of_a_deleted_activity_is_never_given_again(session, editor, make_activity):
    first = make_activity(editor.provider_id, title="Planned, then dropped")
    dropped = first.id
    operations.delete_activity(session, first)
    session.commit()
    assert make_activity(editor.provider_id, title="The next one").id > dropped


def database_at(tmp_path, revision: str, titles: tuple[str, ...]):
    """A SQLite file migrated to ``revision`` holding provider 1 and its drafts of ``titles``
    (ids 1, 2, ...)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    command.upgrade(alembic_config(engine), revision)
    with engine.begin() as connection:
        run = connection.exec_driver_sql
        run("INSERT INTO provider (id, name, created_at) VALUES (1, 'Lakeside', '2026-01-01')")
        for number, title in enumerate(titles, start=1):
            run(
                "INSERT INTO activity (id, provider_id, title, status, status_rank, version, "
                f"created_at, updated_at) VALUES ({number}, 1, '{title}', 'Draft', 0, 1, "
                "'2026-01-01', '2026-01-01')"
            )
    return engine


def test_migrating_a_0014_database_keeps_every_row_and_the_search(tmp_path):
    engine = database_at(tmp_path, "0014", ("Heart Failure", "Newest Draft"))
    with engine.begin() as connection:
        run = connection.exec_driver_sql
        run("INSERT INTO activity_joint_provider (activity_id, position, name) VALUES (1, 0, 'X')")
        run("DELETE FROM activity WHERE id = 2")
    upgrade(engine)
    with engine.begin() as connection:
        run = connection.exec_driver_sql
        assert run("SELECT id, title FROM activity").all() == [(1, "Heart Failure")]
        assert run("SELECT activity_id FROM activity_joint_provider").all() == [(1,)]
        found = run("SELECT rowid FROM activity_search WHERE activity_search MATCH 'heart'")
        assert found.all() == [(1,)]
        run(
            "INSERT INTO activity (provider_id, title, status, status_rank, version, "
            "created_at, updated_at) VALUES (1, 'After', 'Draft', 0, 1, '2026-01-02', "
            "'2026-01-02')"
        )
        assert run("SELECT rowid FROM activity_search WHERE activity_search MATCH 'after'").all()
        assert run("PRAGMA foreign_keys").scalar() == 1  # on again after the migration
    engine.dispose()


def test_0022_gives_keys_and_the_statuses_the_new_rules_give(tmp_path):
    """A Draft kept from Active only by its ZIP becomes Active; one with other blockers loses
    the ZIP from them; a split course (repeats, no occurrence waiting) is one occurrence; every
    activity gets its own record key."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    command.upgrade(alembic_config(engine), "0021")
    with engine.begin() as connection:
        run = connection.exec_driver_sql
        run("INSERT INTO provider (id, name, created_at) VALUES (1, 'Lakeside', '2026-01-01')")
        for number, blockers, repeats in (
            (1, "postal_code", 0),
            (2, "postal_code,ama_credits", 0),
            (3, "", 1),
        ):
            run(
                "INSERT INTO activity (id, provider_id, title, status, status_rank, version, "
                "next_blockers, repeats, created_at, updated_at) VALUES "
                f"({number}, 1, 'A{number}', 'Draft', 0, 1, '{blockers}', {repeats}, "
                "'2026-01-01', '2026-01-01')"
            )
    upgrade(engine)
    with engine.begin() as connection:
        rows = connection.exec_driver_sql(
            "SELECT id, status, next_blockers, repeats, record_key FROM activity ORDER BY id"
        ).all()
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (1, "Active", None),
        (2, "Draft", None),
        (3, "Draft", ""),
    ]
    assert rows[2][3] in (0, False)
    assert len({r[4] for r in rows}) == 3 and all(len(r[4]) == 36 for r in rows)
    engine.dispose()


def test_0031_gives_every_completion_its_learner_key_and_keeps_ids_unused(tmp_path):
    """Existing completions get the key new ones get (Python's case folding, beyond ASCII
    too), the column is required from then on, and the rebuilt table still never gives a
    deleted completion's id again."""
    engine = database_at(tmp_path, "0030", ("Heart Failure",))
    with engine.begin() as connection:
        run = connection.exec_driver_sql
        for number, first, last, day in (
            (1, " ÉLODIE", "Öztürk ", "2026-01-05"),
            (2, "élodie", "ÖZTÜRK", "2026-01-06"),
            (3, "Ana", "Diaz", "2026-01-05"),
            (4, "Newest", "Row", "2026-01-05"),
        ):
            run(
                "INSERT INTO learner_completion (id, activity_id, first_name, last_name, "
                "birth_month_day, completion_date, created_at) VALUES "
                f"({number}, 1, '{first}', '{last}', '09/10', '{day}', '2026-01-07')"
            )
        run("DELETE FROM learner_completion WHERE id = 4")
    upgrade(engine)
    with engine.begin() as connection:
        run = connection.exec_driver_sql
        keys = run("SELECT id, learner_key FROM learner_completion ORDER BY id").all()
        assert keys == [
            (1, "élodie\x1föztürk\x1f09/10"),
            (2, "élodie\x1föztürk\x1f09/10"),
            (3, "ana\x1fdiaz\x1f09/10"),
        ]
        distinct = "SELECT count(DISTINCT learner_key) FROM learner_completion"
        assert run(distinct).scalar() == 2
        run(
            "INSERT INTO learner_completion (activity_id, first_name, last_name, "
            "birth_month_day, learner_key, completion_date, created_at) VALUES "
            "(1, 'Next', 'One', '01/02', 'next\x1fone\x1f01/02', '2026-01-05', '2026-01-07')"
        )
        assert run("SELECT max(id) FROM learner_completion").scalar() == 5
    engine.dispose()
