"""Each provider sees only its own data; another provider's record answers 404 with no title."""


def test_list_shows_only_own_provider(client, make_user, make_activity, login):
    mine = make_user("a@example.org", provider="Provider A")
    theirs = make_user("b@example.org", provider="Provider B")
    make_activity(mine.provider_id, title="Our Grand Rounds")
    make_activity(theirs.provider_id, title="Their Secret Symposium")
    login("a@example.org")
    page = client.get("/activities/").data
    assert b"Our Grand Rounds" in page
    assert b"Their Secret Symposium" not in page
    assert b"1 Activity" in page
    assert b"Provider A" in page


def test_other_providers_activity_is_404_without_its_title(client, make_user, make_activity, login):
    make_user("a@example.org", provider="Provider A")
    theirs = make_user("b@example.org", provider="Provider B")
    activity = make_activity(theirs.provider_id, title="Their Secret Symposium")
    login("a@example.org")
    response = client.get(f"/activities/{activity.id}")
    assert response.status_code == 404
    assert b"Their Secret Symposium" not in response.data


def test_own_activity_page_shows_the_record_and_what_blocks_it(
    client, make_user, make_activity, login
):
    user = make_user()
    activity = make_activity(user.provider_id, title="Sepsis <script>alert(1)</script>")
    login()
    page = client.get(f"/activities/{activity.id}").data
    assert b"Sepsis &lt;script&gt;" in page and b"<script>alert" not in page
    assert b"Wait until the end date" in page
