"""Production settings come from the environment and pass Django's deploy check."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "q8Jx2-production-like-key-for-the-deploy-check-4mZr7Lw0pVb3Tn6Yc9Ha1Ks5Ud",
    "DJANGO_ALLOWED_HOSTS": "kjcxq.nx.example",
    "DJANGO_HTTPS": "1",
    "DJANGO_BEHIND_TLS_PROXY": "1",
}


def manage(*args: str, env: dict[str, str]):
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "mapsite.settings", **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_deploy_check_with_production_settings_has_no_warnings():
    result = manage("check", "--deploy", env=PRODUCTION)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    warnings = [line for line in output.splitlines() if re.match(r"^\?: \(|^\w+[.:]", line) and "(" in line]
    security = [w for w in warnings if "(security." in w]
    schema = [w for w in warnings if "(drf_spectacular." in w]
    assert security == [] and schema == [], output


@pytest.mark.parametrize(
    "env", [{}, {"DJANGO_SECRET_KEY": "dev-only-insecure-key-set-DJANGO_SECRET_KEY-in-production"}]
)
def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off(env):
    result = manage("check", env={"DJANGO_DEBUG": "0", **env})
    # Unless `make setup` wrote .state/secret_key for this checkout (then that key is used).
    if (ROOT / ".state" / "secret_key").exists() and not env:
        assert result.returncode == 0
    else:
        assert result.returncode != 0
        assert "ImproperlyConfigured" in result.stderr and "DJANGO_SECRET_KEY" in result.stderr


def test_debug_may_use_the_development_key():
    assert manage("check", env={"DJANGO_DEBUG": "1"}).returncode == 0


def test_https_settings_follow_the_environment():
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS,"
        " s.SECURE_PROXY_SSL_HEADER)"
    )
    on = manage("shell", "--no-imports", "-c", code, env=PRODUCTION)
    assert on.stdout.split() == ["True", "True", "True", "31536000", "('HTTP_X_FORWARDED_PROTO',", "'https')"], (
        on.stderr
    )
    off = manage("shell", "--no-imports", "-c", code, env={"DJANGO_DEBUG": "1"})
    assert off.stdout.split() == ["False", "False", "False", "0", "None"], off.stderr
    bad = manage("check", env={**PRODUCTION, "DJANGO_HTTPS": "maybe"})
    assert bad.returncode != 0 and "ImproperlyConfigured" in bad.stderr
