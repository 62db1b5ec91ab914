"""Backups: `flask backup` then `flask restore` gives back every row exactly (SQLite's online
backup API, or pg_dump/pg_restore when the suite runs on PostgreSQL)."""

import os
import stat
from datetime import timedelta

from sqlmodel import Session, SQLModel, select

from pars import create_app
from pars.models import Activity, Contact
from pars.uploads import jobs
from tests.factories import TODAY


def snapshot(app) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    with Session(app.extensions["pars_engine"]) as session:
        return {
            table.name: [
                tuple(row)
                for row in session.execute(table.select().order_by(*table.primary_key.columns))
            ]
            for table in SQLModel.metadata.sorted_tables
        }


def test_backup_and_restore_keep_every_row(
    app, make_user, make_activity, login, client, tmp_path, session
):
    user = make_user()
    past = TODAY - timedelta(days=3)
    activity = make_activity(
        user.provider_id, title="Kept <Course>", start_date=past, end_date=past
    )
    login()
    client.post(
        f"/activities/{activity.id}/learners",
        data={
            "first_name": "Ana",
            "last_name": "Diaz",
            "birth_month_day": "02/29",
            "state": "IL",
            "completion_date": past.isoformat(),
        },
    )
    client.post(
        f"/annual/contacts?year={TODAY.year - 1}",
        data={"new-role": "CEO", "new-name": "Dana", "new-email": "dana@example.org"},
    )
    session.close()
    before = snapshot(app)
    assert before["learner_completion"] and before["audit_entry"] and before["contact"]
    runner, path = app.test_cli_runner(), tmp_path / "pars.backup"
    made = runner.invoke(args=["backup", str(path)])
    assert made.exit_code == 0 and "Backup written" in made.output, made.output
    assert runner.invoke(args=["backup", str(path)]).exit_code != 0  # never overwritten silently

    with Session(app.extensions["pars_engine"]) as later:  # changes after the backup
        later.get(Activity, activity.id).title = "Renamed"
        later.delete(later.exec(select(Contact)).one())
        later.add(Activity(provider_id=user.provider_id, title="Added later"))
        later.commit()
    assert snapshot(app) != before

    refused = runner.invoke(args=["restore", str(path)], input="n\n")
    assert refused.exit_code != 0 and snapshot(app) != before  # the confirmation is real
    restored = runner.invoke(args=["restore", str(path), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert snapshot(app) == before
    assert b"Kept &lt;Course&gt;" in client.get("/activities/?q=kept").data  # search works too


def test_restoring_something_that_is_not_a_backup_changes_nothing(app, make_user, tmp_path):
    make_user()
    before = snapshot(app)
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"%PDF-1.7 this is not a database")
    result = app.test_cli_runner().invoke(args=["restore", str(junk), "--yes"])
    assert result.exit_code != 0 and "Error" in result.output
    assert snapshot(app) == before


def test_database_backups_and_job_files_are_readable_by_this_user_only(tmp_path):
    """They hold password hashes and learners' personal data (0600 files, 0700 folders)."""
    previous = os.umask(0o022)  # a shell's usual umask: files 0644
    try:
        instance = tmp_path / "instance"
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "x" * 40,
                "DATABASE_URL": f"sqlite:///{instance / 'pars.db'}",
                "UPLOAD_PROGRESS_DIR": str(instance / "jobs"),
            }
        )
        runner = app.test_cli_runner()
        assert runner.invoke(args=["init-db"]).exit_code == 0
        assert runner.invoke(args=["backup", str(tmp_path / "copy.backup")]).exit_code == 0
        jobs_path(app).parent.mkdir(parents=True)
        jobs.write_progress(jobs_path(app), 1, 2)
        engine = app.extensions["pars_engine"]
        with engine.connect() as connection:  # an open connection keeps the WAL and SHM files
            connection.exec_driver_sql("SELECT 1")
            made = [instance / "pars.db", tmp_path / "copy.backup", jobs_path(app)]
            made += [p for p in instance.glob("pars.db-*")]
            for path in made:
                assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
            for folder in (instance,):
                assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
        engine.dispose()
    finally:
        os.umask(previous)


def jobs_path(app):
    with app.app_context():
        return jobs.progress_path(1)
