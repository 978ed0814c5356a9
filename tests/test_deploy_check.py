"""Production settings pass Django's deployment checklist, and refuse to start without a key."""

import os
import subprocess
import sys

PRODUCTION_ENV = {
    "HEELWIJK_ENV": "production",
    "HEELWIJK_SECRET_KEY": "x7!kq2#Lm9@vR4$wT8^zN1&bC6*hJ3(pF5)dS0_gY-uE+aQ=iO~" * 2,
    "HEELWIJK_ALLOWED_HOSTS": "heelwijk.example.org",
    "DJANGO_SETTINGS_MODULE": "heelwijk.settings",
}


def run_heelwijk(*args: str, extra_env: dict[str, str]) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("HEELWIJK_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "-m", "heelwijk.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_heelwijk("check", "--deploy", "--fail-level", "WARNING", extra_env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "HEELWIJK_SECRET_KEY"}
    result = run_heelwijk("check", extra_env=env)
    assert result.returncode != 0
    assert "Set HEELWIJK_SECRET_KEY" in result.stderr


def test_heelwijk_help_lists_the_commands():
    result = run_heelwijk("--help", extra_env={"HEELWIJK_ENV": "test"})
    assert result.returncode == 0
    for command in ("demo", "serve", "migrate", "import", "check", "createuser", "ledger"):
        assert f"  {command} " in result.stdout


def test_every_heelwijk_command_has_help():
    for command in ("demo", "serve", "migrate", "import", "check", "createuser"):
        result = run_heelwijk(command, "--help", extra_env={"HEELWIJK_ENV": "test"})
        assert result.returncode == 0, (command, result.stderr)
        assert "usage: heelwijk" in result.stdout
