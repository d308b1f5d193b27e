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
    assert "password passerelle-demo" in output and "admin (administrator)" in output
    load_demo()
    assert get_user_model().objects.filter(username="admin").count() == 1


def test_the_demo_has_a_login_for_each_role_of_the_network(db, settings, tmp_path):
    """Each structure's manager sees only their structure; the network's role both."""
    settings.MEDIA_ROOT = tmp_path
    settings.DEMO_ACCOUNT_ALLOWED = True

    output = load_demo()
    load_demo()

    users = get_user_model().objects
    lens, reunion = (
        users.get(username=name, structures__isnull=False)
        for name in ("responsable-lens", "responsable-reunion")
    )
    assert [s.site.hostname for s in lens.structures.all()] == ["127.0.0.1"]
    assert [s.site.hostname for s in reunion.structures.all()] == ["localhost"]
    network = users.get(username="reseau")
    assert network.has_perm("structures.see_every_structure") and not network.is_superuser
    assert all(u.check_password("passerelle-demo") for u in (lens, reunion, network))
    assert "responsable-lens, responsable-reunion, reseau" in output


def test_production_never_gets_a_demo_account(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DEMO_ACCOUNT_ALLOWED = False

    output = load_demo()

    assert not get_user_model().objects.filter(username="admin").exists()
    assert "passerelle-demo" not in output
