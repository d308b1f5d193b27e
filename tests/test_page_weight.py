"""The home page stays light: most visitors are on phones, often with little data left."""

from io import StringIO

from django.core.management import call_command

from bench.page_weight import page_weight

BUDGET = 60_000  # bytes of HTML, CSS and JS, uncompressed; images and videos aside


def test_home_page_with_its_css_and_js_weighs_under_60_kb(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", stdout=StringIO())
    weight = page_weight(client, "/")
    html, css, js, total = weight.sizes()
    assert total < BUDGET, (
        f"the home page weighs {total:,} bytes (HTML {html:,}, CSS {css:,}, JS {js:,}), "
        f"over the {BUDGET:,} budget; files: {[*weight.css, *weight.js]}"
    )
