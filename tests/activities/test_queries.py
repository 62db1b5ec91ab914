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


def test_a_search_walking_the_sort_order_finds_the_same_pages_as_reading_its_hits(
    session, editor, make_activity, today
):
    for n in range(30):
        title = f"Cardiology Update {n}" if n % 3 else f"Nephrology Rounds {n}"
        make_activity(editor.provider_id, title=title)
    flt = queries.ActivityFilter(q="card")
    hits = queries.count(session, editor.provider_id, flt, today=today)
    assert hits == 20
    assert queries.walks_sort_order(session, editor.provider_id, flt, hits, 10) == (
        session.get_bind().dialect.name == "sqlite"
    )

    def page(sort: str, number: int, **known) -> list[int]:
        rows = queries.page(
            session, editor.provider_id, flt, sort=sort, number=number, size=8, today=today, **known
        )
        return [a.id for a in rows]

    for sort in queries.SORTS:
        for number in (1, 2, 3):
            assert page(sort, number, hits=hits) == page(sort, number), (sort, number)
    assert len(page("title", 3, hits=hits)) == 4  # the third page of 20 by 8
