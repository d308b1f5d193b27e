"""Validators more than one app's models use."""

from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

# Links given to young people (video rooms) open over https only.
validate_https = URLValidator(
    schemes=["https"], message=_("Give an address starting with https://.")
)
