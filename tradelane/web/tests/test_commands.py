import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command

from tradelane.accounts.models import Membership, Organisation, User


@pytest.mark.django_db
def test_seed_demo_twice_does_not_duplicate_anything():
    call_command("seed_demo")
    counts = (User.objects.count(), Organisation.objects.count(), Membership.objects.count())
    call_command("seed_demo")
    assert (
        User.objects.count(),
        Organisation.objects.count(),
        Membership.objects.count(),
    ) == counts
    kinds = sorted(Organisation.objects.values_list("kind", flat=True))
    assert kinds.count("merchant") == 3 and kinds.count("operator") == 1
    assert set(Organisation.objects.filter(kind="buyer").values_list("country", flat=True)) >= {
        "US",
        "GB",
        "DE",
        "FR",
    }


def _settings_with(env: dict) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "TRADELANE_TESTING"))
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup(); "
            "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0)",
        ],
        env={**clean, **env, "TRADELANE_VAR_DIR": str(settings.VAR_DIR)},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = _settings_with({"DJANGO_ALLOWED_HOSTS": "example.com"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


def test_production_settings_refuse_to_start_without_allowed_hosts():
    result = _settings_with({"DJANGO_SECRET_KEY": "x" * 50})
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is required" in result.stderr


def test_production_settings_turn_on_secure_cookies_and_hsts():
    result = _settings_with({"DJANGO_SECRET_KEY": "x" * 50, "DJANGO_ALLOWED_HOSTS": "example.com"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True"]


@pytest.mark.django_db
def test_seed_demo_loads_fx_rates_once():
    from tradelane.markets.models import FxRate

    call_command("seed_demo")
    count = FxRate.objects.count()
    call_command("seed_demo")
    assert count > 0 and FxRate.objects.count() == count


@pytest.mark.django_db
def test_models_and_migrations_agree():
    from io import StringIO

    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
