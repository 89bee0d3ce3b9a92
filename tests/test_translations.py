"""Every string of the interface is translated, in bokmål and in nynorsk.

The msgids are extracted from the sources with Django's own ``makemessages`` (into a
temporary copy of the project, so the real catalogues are never touched) and looked
up in each language's catalogue compiled afresh with ``msgfmt``, which leaves out
empty and fuzzy entries: those count as untranslated.
"""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

LANGUAGES = ["nb", "nn"]
# Project folders with no interface strings of their own.
NOT_SOURCE = {
    ".git",
    ".venv",
    "node_modules",
    "locale",
    "locale_overrides",
    "tests",
    "static",
    "staticfiles",
    "media",
    "docs",
    "data",
    "bench",
    "__pycache__",
}


MSGFMT, MSGEN = shutil.which("msgfmt"), shutil.which("msgen")  # GNU gettext


def _compile(po: Path, mo: Path) -> dict:
    subprocess.run([MSGFMT, "--check-format", "-o", str(mo), str(po)], check=True)  # noqa: S603
    with mo.open("rb") as handle:
        return gettext.GNUTranslations(handle)._catalog


def _keys(catalog: dict) -> set[str]:
    """Catalogue keys without plural indexes: "msgid" or "context\\x04msgid"."""
    return {key[0] if isinstance(key, tuple) else key for key in catalog if key != ""}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[str]:
    work = tmp_path_factory.mktemp("messages")
    base = Path(settings.BASE_DIR)
    for entry in base.iterdir():
        if entry.is_dir() and entry.name not in NOT_SOURCE and not entry.name.startswith("."):
            shutil.copytree(
                entry,
                work / entry.name,
                ignore=shutil.ignore_patterns("__pycache__", "migrations", "*.pyc"),
            )
    (work / "locale").mkdir()
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "django", "makemessages", "-l", "en", "-d", "django"],
        cwd=work,
        env=env,
        check=True,
        capture_output=True,
    )
    po = work / "locale" / "en" / "LC_MESSAGES" / "django.po"
    # msgen fills every msgstr with its msgid, so the compiled catalogue lists them all.
    subprocess.run([MSGEN, "-o", str(work / "en.po"), str(po)], check=True)  # noqa: S603
    keys = _keys(_compile(work / "en.po", work / "en.mo"))
    assert len(keys) > 500  # the extraction found the project's strings
    return keys


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated(language, extracted, tmp_path):
    po = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
    translated = _keys(_compile(po, tmp_path / "django.mo"))
    missing = sorted(key.replace("\x04", " | ") for key in extracted - translated)
    assert not missing, f"Untranslated in {language}: {missing}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_catalogue_is_compiled(language, tmp_path):
    folder = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES"
    fresh = _compile(folder / "django.po", tmp_path / "django.mo")
    with (folder / "django.mo").open("rb") as handle:
        committed = gettext.GNUTranslations(handle)._catalog
    assert committed == fresh, "Run manage.py compilemessages and commit the .mo file."


@pytest.mark.parametrize("language", LANGUAGES)
def test_django_admin_strings_have_overrides_compiled(language, tmp_path):
    folder = Path(settings.BASE_DIR) / "locale_overrides" / language / "LC_MESSAGES"
    for domain in ("django", "djangojs"):
        fresh = _compile(folder / f"{domain}.po", tmp_path / f"{domain}.mo")
        with (folder / f"{domain}.mo").open("rb") as handle:
            assert gettext.GNUTranslations(handle)._catalog == fresh


def test_nynorsk_is_nynorsk():
    """A spot check on words that give bokmål away in a nynorsk text."""
    po = Path(settings.BASE_DIR) / "locale" / "nn" / "LC_MESSAGES" / "django.po"
    text = po.read_text(encoding="utf-8")
    msgstrs = " ".join(re.findall(r'^msgstr(?:\[\d\])? "(.*)"$', text, re.M))
    for bokmal in ("ikke", "hvor", "hvordan", "også", "enhet", "høring", "fra ", "mer "):
        assert not re.search(rf"\b{bokmal}", msgstrs, re.I), bokmal
