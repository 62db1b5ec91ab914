"""Reads every page and file makes: which stored activity a row of a file means."""

from pars.activities import queries


def test_a_file_row_means_the_activity_with_its_accme_id_first(
    session, editor, make_user, make_activity
):
    first = make_activity(editor.provider_id, title="First")
    second = make_activity(editor.provider_id, title="Second", accme_activity_id="202600001")
    other = make_user("b@example.org", provider="Other")
    theirs = make_activity(other.provider_id, title="Theirs", accme_activity_id="202600002")

    def named(**ids):
        return queries.named_in_file(session, editor.provider_id, **ids)

    # Both given and naming two activities: the ACCME Activity ID, PARS's own key, wins.
    assert named(accme_id="202600001", activity_id=str(first.id)) == second
    # An ACCME ID nobody has: this system's activity ID.
    assert named(accme_id="202699999", activity_id=str(first.id)) == first
    # Another provider's activity is never found, by either ID.
    assert named(accme_id="202600002") is None
    assert named(activity_id=str(theirs.id)) is None
    assert named(activity_id="not a number") is None and named() is None


def test_the_unfiltered_count_is_the_providers_own_alone_or_beside_others(
    session, editor, make_user, make_activity, today
):
    def counted(provider_id: int, **filters) -> int:
        flt = queries.ActivityFilter(**filters)
        return queries.count(session, provider_id, flt, today=today)

    for n in range(3):
        make_activity(editor.provider_id, title=f"Ours {n}")
    assert counted(editor.provider_id) == 3  # the only provider: the table's count
    other = make_user("b@example.org", provider="Other")
    make_activity(other.provider_id, title="Theirs")
    assert counted(editor.provider_id) == 3 and counted(other.provider_id) == 1
    assert counted(editor.provider_id, q="Ours 1") == 1
