"""The QR code of a printed schedule's link, as SVG to put in the page (no image file,
no JavaScript): black squares on white, sized by the page's CSS."""

import segno
from django.utils.safestring import mark_safe


def svg(url):
    code = segno.make(url, error="m")
    return mark_safe(code.svg_inline(scale=4, omitsize=True, dark="#000", light="#fff"))
