"""Reminder emails for disclosures still missing, sent by the worker every morning: the
provider's reminder days before each activity's start (14 and 7 by default), once each, with a
fresh link (the older one stops working). Nothing is sent without SMTP_URL."""

from datetime import UTC, date, datetime, timedelta

from flask import Flask, url_for
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from pars.core import clock, mail, tasks
from pars.core.db import get_session
from pars.integrity import operations
from pars.models import Activity, DisclosureReminder, Provider


def reminder_days(text: str) -> list[int]:
    """The provider's setting ("14,7") as days; what cannot be read is left out."""
    return sorted(
        {int(p) for p in text.replace(" ", "").split(",") if p.isdigit() and 0 < int(p) <= 365},
        reverse=True,
    )


def send_due(session: Session, *, today: date) -> int:
    """Send every reminder due today; how many were sent."""
    sent = 0
    for provider in session.exec(select(Provider).where(Provider.integrity_since.is_not(None))):
        for days in reminder_days(provider.reminder_days):
            starting = session.exec(
                select(Activity).where(
                    Activity.provider_id == provider.id,
                    Activity.closed_at.is_(None),
                    Activity.start_date == today + timedelta(days=days),
                    Activity.start_date >= provider.integrity_since,
                )
            )
            for activity in starting:
                sent += remind(session, activity, days)
    return sent


def remind(session: Session, activity: Activity, days: int) -> int:
    sent = 0
    for entry in operations.involved(session, activity):
        if entry.disclosure is not None:
            continue
        try:
            with session.begin_nested():
                session.add(
                    DisclosureReminder(
                        activity_id=activity.id, person_id=entry.person.id, days_before=days
                    )
                )
        except IntegrityError:  # already reminded for this day
            continue
        token = operations.issue_link(session, activity, entry.person, now=datetime.now(UTC))
        link = url_for("integrity.disclose", token=token, _external=True)
        subject, body = disclosure_reminder(activity, entry.person, link, days)
        mail.send(entry.person.email, subject, body)
        session.commit()
        sent += 1
    return sent


def disclosure_reminder(activity: Activity, person, link: str, days: int) -> tuple[str, str]:
    subject = f"Reminder: your disclosure for {activity.title} ({days} days to go)"
    body = (
        f"Dear {person.name},\n\n"
        f'"{activity.title}" starts on {activity.start_date:%m/%d/%Y} and your disclosure of '
        "financial relationships with ineligible companies is still missing.\n\n"
        f"Give it here (no account needed; this link replaces the one sent before):\n{link}\n"
    )
    return subject, body


def daily(app: Flask) -> None:
    if not app.config.get("SMTP_URL"):
        return
    # Links in the emails are built on the address people reach the server at.
    with app.test_request_context(base_url=app.config["PUBLIC_URL"]):
        send_due(get_session(), today=clock.today())


def register(app: Flask) -> None:
    tasks.register_periodic(app, "integrity.reminders", tasks.crontab(hour="7", minute="0"), daily)
