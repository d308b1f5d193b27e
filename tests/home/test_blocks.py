"""Editors' blocks: links that cannot point nowhere, and headings that keep the outline."""

import re

import pytest
from django.core.exceptions import ValidationError

from home.blocks import ActionsBlock, HeadingBlock, LinkBlock

from .factories import StandardPageFactory


def test_a_link_needs_a_page_or_an_address_but_not_both(home):
    block = LinkBlock()
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"page": None, "url": "", "label": "Nulle part"}))
    with pytest.raises(ValidationError):
        block.clean(
            block.to_python({"page": home.pk, "url": "https://example.org", "label": "Deux"})
        )


def test_a_link_to_another_site_must_say_where_it_goes():
    block = LinkBlock()
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"page": None, "url": "https://example.org", "label": ""}))


def test_a_link_to_a_page_takes_its_title_unless_given_a_text(home):
    page = StandardPageFactory(parent=home, title="Mentions légales")
    block = LinkBlock()
    value = block.clean(block.to_python({"page": page.pk, "url": "", "label": ""}))
    assert (value.href, value.text) == (page.url, "Mentions légales")
    value = block.to_python({"page": page.pk, "url": "", "label": "Qui publie ce site"})
    assert value.text == "Qui publie ce site"


def test_heading_block_renders_the_chosen_level():
    html = HeadingBlock().render(HeadingBlock().to_python({"text": "Venir", "level": "h3"}))
    assert re.fullmatch(r'\s*<h3 class="block-heading">Venir</h3>\s*', html)


def test_action_cards_sit_one_level_below_their_heading(home):
    page = StandardPageFactory(parent=home, title="Livret")
    block = ActionsBlock()
    card = {"page": page.pk, "url": "", "label": "", "description": "Pour venir."}
    with_heading = block.render(block.to_python({"heading": "Que faire ?", "actions": [card]}))
    assert "<h2>Que faire ?</h2>" in with_heading
    assert f'<h3 class="card__title"><a href="{page.url}">Livret</a></h3>' in with_heading
    without_heading = block.render(block.to_python({"heading": "", "actions": [card]}))
    assert "<h3" not in without_heading
    assert f'<h2 class="card__title"><a href="{page.url}">Livret</a></h2>' in without_heading


def test_a_card_whose_page_was_deleted_disappears(home):
    page = StandardPageFactory(parent=home, title="Ancienne page")
    raw = {"heading": "", "actions": [{"page": page.pk, "url": "", "label": ""}]}
    page.delete()
    html = ActionsBlock().render(ActionsBlock().to_python(raw))
    assert "<li" not in html
