"""Text normalisation for Vietnamese names: NFC for storage, ASCII folding for search."""

import unicodedata

from unidecode import unidecode


def clean_name(value: str) -> str:
    """NFC, single spaces, no edge spaces: lists spell "Hoả"/"Hỏa" with different code points."""
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def fold(value: str) -> str:
    """Lower-case ASCII folding so "vi thanh" finds "Vị Thanh" (and "đ" finds as "d")."""
    return " ".join(unidecode(clean_name(value)).lower().split())
