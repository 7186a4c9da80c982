"""The password policy: 10 characters, letters and digits, unlike the user, not common; each
rule refused with its own Vietnamese message, on every form that sets a password."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from nongthon.accounts.models import User
from tests.conftest import client_for


def messages_for(password: str, user: User | None = None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return error.messages
    return []


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Lua-9", "Mật khẩu quá ngắn: cần ít nhất 10 ký tự."),
        ("chi-co-chu-cai", "Mật khẩu phải có cả chữ cái và chữ số."),
        ("2025202520252025", "Mật khẩu phải có cả chữ cái và chữ số."),
        ("password123", "Mật khẩu này quá phổ biến."),
        ("Matkhau@2025", "Mật khẩu này quá phổ biến."),
        ("NongThon-2026", "Mật khẩu này quá phổ biến."),
    ],
)
def test_each_rule_has_its_own_vietnamese_message(password, message):
    assert message in messages_for(password)


def test_a_password_like_the_users_own_details_is_refused(db):
    user = User(username="nguyenvanbinh", full_name="Nguyễn Văn Bình", email="binh@vn.vn")
    assert "Mật khẩu quá giống tên đăng nhập của người dùng." in messages_for(
        "nguyenvanbinh1", user
    )
    assert messages_for("Ruong-lua-2025", user) == []


def test_a_good_password_passes_every_rule(db):
    assert messages_for("Ruong-lua-2025") == []
    assert messages_for("cay-lua-Vi-Thuy-7") == []


def test_the_forms_show_the_rules_and_refuse_a_weak_password(province_coordinator, commune_officer):
    client = client_for(province_coordinator)
    url = f"/accounts/users/{commune_officer.pk}/password/"
    page = client.get(url).content.decode()
    assert "Ít nhất 10 ký tự." in page and "Có cả chữ cái và chữ số." in page
    page = client.post(url, {"password": "abcdefghijk", "password_confirm": "abcdefghijk"})
    assert "Mật khẩu phải có cả chữ cái và chữ số." in page.content.decode()
    commune_officer.refresh_from_db()
    assert not commune_officer.check_password("abcdefghijk")


def test_ones_own_new_password_follows_the_policy(commune_officer):
    from tests.conftest import PASSWORD

    client = client_for(commune_officer)
    data = {"old_password": PASSWORD, "password": "xa123", "password_confirm": "xa123"}
    page = client.post("/accounts/me/", data).content.decode()
    assert "Mật khẩu quá ngắn: cần ít nhất 10 ký tự." in page
    commune_officer.refresh_from_db()
    assert commune_officer.check_password(PASSWORD)
