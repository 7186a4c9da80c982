"""Login history: successful and failed logins with time, address and browser, shown to the user
on "Tài khoản của tôi" and to their coordinator on the user page, to nobody else."""

from django.test import Client

from tests.conftest import PASSWORD, client_for

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chromium/120 thu-nghiem"


def test_logins_and_failures_are_listed_with_address_and_browser(
    commune_officer, province_coordinator
):
    client = Client(HTTP_USER_AGENT=BROWSER)
    client.post("/login/", {"username": "xa", "password": "sai"}, REMOTE_ADDR="198.51.100.8")
    client.post("/login/", {"username": "xa", "password": PASSWORD}, REMOTE_ADDR="203.0.113.9")
    page = client.get("/accounts/me/").content.decode()
    table = page.split('data-testid="login-history"')[1]
    assert "Thành công" in table and "Sai mật khẩu" in table
    assert "203.0.113.9" in table and "198.51.100.8" in table
    assert "thu-nghiem" in table
    # Newest first: the success came after the failure.
    assert table.index("Thành công") < table.index("Sai mật khẩu")
    coordinator = client_for(province_coordinator).get(f"/accounts/users/{commune_officer.pk}/")
    assert "203.0.113.9" in coordinator.content.decode().split('data-testid="login-history"')[1]


def test_nobody_reads_another_users_login_history(commune_officer, other_commune_officer):
    Client().post("/login/", {"username": "xa", "password": PASSWORD}, REMOTE_ADDR="203.0.113.9")
    other = client_for(other_commune_officer)
    assert "203.0.113.9" not in other.get("/accounts/me/").content.decode()
    assert other.get(f"/accounts/users/{commune_officer.pk}/").status_code == 403
