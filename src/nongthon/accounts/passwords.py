"""The password policy (AUTH_PASSWORD_VALIDATORS): at least 10 characters, letters and digits,
not like the user's own details, not a common password; one Vietnamese message per rule.

Django's own validators do the checking; these subclasses only give the messages (its Vietnamese
catalogue lags behind its English wording) and add the project's rules.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import password_validation as django_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MIN_LENGTH = 10
# Words Vietnamese officials commonly build passwords from, with digits and marks taken off
# ("matkhau2025", "Nongthon@123"): the project's own list, beside Django's 20,000.
WORDS_FILE = Path(__file__).resolve().parent / "data" / "common-password-words.txt"


class MinimumLengthValidator(django_validation.MinimumLengthValidator):
    def __init__(self, min_length: int = MIN_LENGTH) -> None:
        super().__init__(min_length)

    def get_error_message(self) -> str:
        return _("Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.") % {
            "min_length": self.min_length
        }

    def get_help_text(self) -> str:
        return _("Ít nhất %(min_length)d ký tự.") % {"min_length": self.min_length}


class LettersAndDigitsValidator:
    def validate(self, password: str, user=None) -> None:
        if not (any(c.isalpha() for c in password) and any(c.isdigit() for c in password)):
            raise ValidationError(self.get_error_message(), code="password_letters_and_digits")

    def get_error_message(self) -> str:
        return _("Mật khẩu phải có cả chữ cái và chữ số.")

    def get_help_text(self) -> str:
        return _("Có cả chữ cái và chữ số.")


class UserAttributeSimilarityValidator(django_validation.UserAttributeSimilarityValidator):
    DEFAULT_USER_ATTRIBUTES = ("username", "full_name", "email", "phone")

    def __init__(self, user_attributes=DEFAULT_USER_ATTRIBUTES, max_similarity: float = 0.7):
        super().__init__(user_attributes, max_similarity)

    def validate(self, password: str, user=None) -> None:
        try:
            super().validate(password, user)
        except ValidationError as error:
            # "quá giống tên đăng nhập": the field's name in lower case, mid-sentence.
            name = str(error.params["verbose_name"]).lower()
            raise ValidationError(
                self.get_error_message(), code=error.code, params={"verbose_name": name}
            ) from None

    def get_error_message(self) -> str:
        return _("Mật khẩu quá giống %(verbose_name)s của người dùng.")

    def get_help_text(self) -> str:
        return _("Không giống tên đăng nhập, họ tên, thư điện tử hay điện thoại.")


class CommonPasswordValidator(django_validation.CommonPasswordValidator):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        lines = WORDS_FILE.read_text(encoding="utf-8").splitlines()
        self.words = {w.strip() for w in lines if w.strip() and not w.startswith("#")}

    def validate(self, password: str, user=None) -> None:
        super().validate(password, user)
        core = "".join(c for c in password.lower() if c.isalpha())
        if core in self.words:
            raise ValidationError(self.get_error_message(), code="password_too_common")

    def get_error_message(self) -> str:
        return _("Mật khẩu này quá phổ biến.")

    def get_help_text(self) -> str:
        return _("Không phải mật khẩu phổ biến (kể cả một từ phổ biến thêm số).")
