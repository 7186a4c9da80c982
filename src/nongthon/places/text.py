"""Text normalisation for Vietnamese names: NFC for storage, ASCII folding for search."""

import unicodedata

from unidecode import unidecode


def clean_name(value: str) -> str:
    """NFC, single spaces, no edge spaces: lists spell "Hoả"/"Hỏa" with different code points."""
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def fold(value: str) -> str:
    """Lower-case ASCII folding so "vi thanh" finds "Vị Thanh" (and "đ" finds as "d")."""
    return " ".join(unidecode(clean_name(value)).lower().split())


# A search box's text becomes one LIKE per word: past a few words a query adds nothing, and a
# pasted paragraph would build a SQL expression deeper than SQLite allows.
SEARCH_WORDS = 8


def search_words(value: str) -> list[str]:
    """The folded words of a search box's text, each once, at most SEARCH_WORDS of them."""
    return list(dict.fromkeys(fold(value).split()))[:SEARCH_WORDS]
