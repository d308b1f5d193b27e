"""The counsellor list and a profile render in the same few queries however many
counsellors there are, with the layout's fragments cached."""

from tests.core.support import queries_of_a_render

from .factories import CounsellorPageFactory

# Measured: Wagtail's routing (root, each level, view restrictions; the site is cached,
# core.sites); the
# list adds the profiles, their portraits and renditions; a profile is read with its
# counsellor, photo and video in one query (BasePage.route), then the photo's rendition.
INDEX_QUERIES = 8
PROFILE_QUERIES = 5


def test_the_list_and_a_profile_cost_the_same_queries_for_3_or_30_counsellors(
    fragments_cached, index
):
    counts = []
    for number in (3, 30):
        while index.get_children().count() < number:
            CounsellorPageFactory(parent=index)
        profile = index.get_children().last()
        counts.append(
            (
                queries_of_a_render(fragments_cached, index.url),
                queries_of_a_render(fragments_cached, profile.url),
            )
        )
    assert counts == [(INDEX_QUERIES, PROFILE_QUERIES)] * 2
