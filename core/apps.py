from django.apps import AppConfig, apps
from django.db.models.signals import post_delete, post_save


class CoreConfig(AppConfig):
    """Helpers every app may use; no models, and imports no other project app."""

    name = "core"

    def ready(self):
        """The page cache forgets the pages of a site when what they show changes. Page
        saves count too: code (the demo loader, imports) adds live pages without
        publishing; so do view restrictions. Bookings are booking's to report
        (BookingConfig.ready). Each host's
        site is looked up again when a site changes or a page moves (core.sites)."""
        from wagtail.contrib.settings.models import BaseSiteSetting
        from wagtail.models import Page, PageViewRestriction, Site
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from core import pagecache, sites

        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(pagecache.on_change, dispatch_uid="core.pagecache")
        for model in apps.get_models():
            if issubclass(model, Page):
                receiver = pagecache.on_change
            elif issubclass(model, Site):
                receiver = pagecache.on_site_change
            elif issubclass(model, BaseSiteSetting):
                receiver = pagecache.on_site_setting_change
            else:
                continue
            for signal in (post_save, post_delete):
                signal.connect(receiver, sender=model, dispatch_uid="core.pagecache")
        for signal in (post_save, post_delete):
            # A page made private must leave the page cache and the kept routes at once.
            signal.connect(
                pagecache.on_change, sender=PageViewRestriction, dispatch_uid="core.pagecache"
            )
            signal.connect(sites.on_change, sender=Site, dispatch_uid="core.sites")
        post_page_move.connect(sites.on_change, dispatch_uid="core.sites")
