from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command


def load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_development_gets_a_printed_demo_login(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DEMO_ACCOUNT_ALLOWED = True

    output = load_demo()

    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("passerelle-demo")
    assert "admin / passerelle-demo" in output
    load_demo()
    assert get_user_model().objects.filter(username="admin").count() == 1


def test_production_never_gets_a_demo_account(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DEMO_ACCOUNT_ALLOWED = False

    output = load_demo()

    assert not get_user_model().objects.filter(username="admin").exists()
    assert "passerelle-demo" not in output
