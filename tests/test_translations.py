"""The English catalogues (the project's and each app's own): complete, placeholders intact,
compiled, and in step with the sources."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "nongthon"
# The project catalogue plus one per app that keeps its own (apps/<app>/locale), so that
# modules built in parallel do not all edit one file; makemessages routes each string there.
CATALOGUES = sorted(PACKAGE.glob("**/locale/en/LC_MESSAGES/django.po"))
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w+\}")


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_message_has_an_english_translation_with_the_same_placeholders(po):
    catalogue = polib.pofile(str(po))
    untranslated = [e.msgid for e in catalogue if not e.translated()]
    assert untranslated == []
    for entry in catalogue:
        if entry.msgid_plural:
            assert placeholders(entry.msgstr_plural[1]) == placeholders(entry.msgid_plural)
        else:
            assert placeholders(entry.msgstr) == placeholders(entry.msgid), entry.msgid


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_compiled_catalogue_matches_the_source_catalogue(po):
    source = {e.msgid: e.msgstr for e in polib.pofile(str(po)) if not e.msgid_plural}
    compiled = {e.msgid: e.msgstr for e in polib.mofile(str(po.with_suffix(".mo")))}
    missing = {k: v for k, v in source.items() if compiled.get(k) != v}
    assert missing == {}, "run: make messages"


def test_the_catalogue_holds_every_message_of_the_sources(tmp_path):
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext is not installed (apt-get install gettext); .ci/run installs it")
    copy = tmp_path / "nongthon"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("locale", "__pycache__"))
    # makemessages writes into LOCALE_PATHS[0]: point it at the copy, not the repository.
    (copy / "locale").mkdir()
    script = (
        "import django, os, sys\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'nongthon.settings')\n"
        "django.setup()\n"
        "from django.conf import settings\n"
        "from django.core.management import call_command\n"
        "settings.LOCALE_PATHS = [os.path.abspath('locale')]\n"
        "call_command('makemessages', locale=['en'], no_location=True, verbosity=0)\n"
    )
    subprocess.run([sys.executable, "-c", script], cwd=copy, check=True, capture_output=True)
    fresh = {e.msgid for e in polib.pofile(str(copy / "locale/en/LC_MESSAGES/django.po"))}
    committed = {e.msgid for po in CATALOGUES for e in polib.pofile(str(po))}
    assert sorted(fresh - committed) == [], "new strings are not in the catalogue: make messages"
