"""``/api/user/v1/accounts``: email lookups are staff-only and answer a list of one or a bare 404."""
from __future__ import annotations

URL = "/api/user/v1/accounts"


def test_lookup_by_email_returns_a_list_of_one(api_as, staffer, bob):
    response = api_as(staffer).get(URL, {"email": "bob@example.com"})
    assert response.status_code == 200
    (account,) = response.json()
    assert {k: account[k] for k in ("username", "email", "id", "is_active")} == {
        "username": "bob", "email": "bob@example.com", "id": bob.pk, "is_active": True}
    assert account["name"] == "" and account["date_joined"].endswith("Z")


def test_unknown_email_is_404_with_an_empty_body(api_as, staffer, db):
    response = api_as(staffer).get(URL, {"email": "ghost@example.com"})
    assert (response.status_code, response.content) == (404, b"")


def test_email_lookup_by_non_staff_is_403(api_as, bob, db):
    assert api_as(bob).get(URL, {"email": "bob@example.com"}).status_code == 403


def test_username_list_returns_the_existing_ones(api_as, staffer, bob, carol):
    response = api_as(staffer).get(URL, {"username": "bob,ghost,carol"})
    assert response.status_code == 200
    assert sorted(account["username"] for account in response.json()) == ["bob", "carol"]


def test_username_list_is_404_only_if_none_exist(api_as, staffer, db):
    assert api_as(staffer).get(URL, {"username": "ghost,phantom"}).status_code == 404


def test_lms_user_id_must_be_an_integer(api_as, staffer, bob):
    api = api_as(staffer)
    assert api.get(URL, {"lms_user_id": "abc"}).status_code == 400
    assert api.get(URL, {"lms_user_id": str(bob.pk)}).json()[0]["username"] == "bob"


def test_no_trailing_slash_route(api_as, staffer, db):
    assert api_as(staffer).get(URL + "/", {"email": "x@example.com"}).status_code == 404


def test_account_by_username(api_as, bob, carol):
    api = api_as(bob)
    own = api.get(f"{URL}/bob")
    assert (own.status_code, own.json()["email"]) == (200, "bob@example.com")
    other = api.get(f"{URL}/carol").json()
    assert other["username"] == "carol" and "email" not in other
    assert api.get(f"{URL}/ghost").status_code == 404


def test_accounts_need_authentication(api_as, bob):
    assert api_as(None).get(URL, {"username": "bob"}).status_code == 401
