"""The public pages' limits: a window holds at most its limit of requests, older ones fall out."""

from datetime import datetime, timedelta

from pars.core.db import get_engine
from pars.core.public_limits import TABLE, Limit, over_limits

WINDOW = timedelta(minutes=5)


def sent(connection, bucket: str, address: str, *moments: datetime) -> None:
    connection.execute(
        TABLE.insert(), [{"bucket": bucket, "address": address, "at": at} for at in moments]
    )


def test_a_window_holds_its_limit_and_the_next_request_is_over(app, now):
    room = Limit("claim:1", 3, WINDOW, "slow down")
    learner = Limit("learner:1:abc", 10, WINDOW, "too many tries", address="")
    with app.app_context(), get_engine().begin() as connection:
        # Old requests, outside the window, and another address's, never count.
        sent(connection, "claim:1", "198.51.100.7", *(now - timedelta(minutes=6),) * 5)
        sent(connection, "claim:1", "203.0.113.9", *(now - timedelta(seconds=1),) * 5)
        answers = [
            over_limits(connection, (room, learner), "198.51.100.7", now + timedelta(seconds=n))
            for n in range(5)
        ]
        assert answers == [[], [], [], [room], [room]]
        # The learner's own count runs across addresses, and is at 5 of 10.
        assert over_limits(connection, (learner,), "192.0.2.1", now) == []
        # Five minutes on, all but the last of them have left the window.
        later = now + WINDOW + timedelta(seconds=3, microseconds=1)
        assert over_limits(connection, (room,), "198.51.100.7", later) == []
