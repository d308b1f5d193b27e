import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()

# Imported once Django is set up (get_wsgi_application): the page cache reads the models.
from core.pagecache import KeptPages  # noqa: E402

# Kept pages are answered before Django's handler (core.pagecache.KeptPages).
application = KeptPages(application)
