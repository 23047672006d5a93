"""No public secret key: unset, Kefu makes a random one on first use and keeps it in
KEFU_DATA_DIR/secret_key (mode 0600), so the quick start needs no setting; ``kefu serve``
refuses to start outside debug with the old public default or a short key."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from kefu.lib.secret_key import key_problem, stored_secret_key
from kefu.security import check_secret_key

OLD_DEFAULT = "kefu-insecure-development-key-change-me"
PRINT_KEY = (
    "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"
)


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    hidden = ("PYTEST_VERSION", "KEFU_TEST_DATABASE_URL", "KEFU_SECRET_KEY", "KEFU_DEBUG")
    env = {k: v for k, v in os.environ.items() if k not in hidden}
    env.update(KEFU_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="kefu.settings", **extra)
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)


def test_a_fresh_data_dir_gets_a_random_key_file_readable_by_its_owner_only(tmp_path):
    made = _run([sys.executable, "-c", PRINT_KEY], _env(tmp_path))
    assert made.returncode == 0, made.stderr
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text().strip()
    assert made.stdout.strip() == key
    assert len(key) >= 50 and key_problem(key) is None
    # The next process reads it again; an operator's key wins over it.
    given = "an-operator-chosen-key-long-enough-to-sign"
    told = _run([sys.executable, "-c", PRINT_KEY], _env(tmp_path, KEFU_SECRET_KEY=given))
    assert told.stdout.strip() == given
    assert stored_secret_key(key_file) == key


def test_each_data_dir_gets_its_own_key_and_racing_processes_share_one(tmp_path):
    first = stored_secret_key(tmp_path / "a" / "secret_key")
    assert {stored_secret_key(tmp_path / "a" / "secret_key") for _ in range(3)} == {first}
    assert stored_secret_key(tmp_path / "b" / "secret_key") != first
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["secret_key"]  # no temporary left


def test_serve_refuses_the_old_public_default_outside_debug(tmp_path):
    args = [sys.executable, "-m", "kefu.cli", "serve", "--port", "1"]
    refused = _run(args, _env(tmp_path, KEFU_SECRET_KEY=OLD_DEFAULT))
    assert refused.returncode == 1
    assert "KEFU_SECRET_KEY is a public development key" in refused.stderr
    assert "KEFU_DATA_DIR/secret_key" in refused.stderr
    assert "serving" not in refused.stdout


@pytest.mark.parametrize(
    ("key", "says"),
    [(OLD_DEFAULT, "is a public development key"),
     ("django-insecure-abc" + "x" * 40, "is a public development key"),
     ("too-short", "is 9 characters long; use at least 32.")],
)  # fmt: skip
def test_public_and_short_keys_are_refused_outside_debug_only(settings, key, says):
    settings.SECRET_KEY = key
    with pytest.raises(ImproperlyConfigured, match=says):
        check_secret_key()
    settings.DEBUG = True
    check_secret_key()
