"""Demo content drawn from the Sprint Créa Jeunes (Lens, 2022), written in our own words."""

from wagtail.models import Page, Site

from home.models import HomePage


def ensure_home_page():
    """Replace Wagtail's placeholder root child with our HomePage, once."""
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        home = HomePage(title="Passerelle", slug="accueil")
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Passerelle",
        )
    elif site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.site_name = "Passerelle"
        site.save()
        if old_root.specific_class is Page and not old_root.get_children().exists():
            old_root.delete()
    return home


def load(stdout=None):
    home = ensure_home_page()
    return f"Demo content ready: {home.url_path}"
