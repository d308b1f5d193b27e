"""The counsellor list and a profile render in the same few queries however many
counsellors there are, with the layout's fragments cached."""

from tests.core.support import queries_of_a_render

from .factories import CounsellorPageFactory

# Measured: no query for the page, kept with the route of its address (core.routes), a
# profile with its counsellor, photo and video (BasePage.route_select_related); then the
# portrait's rendition; rendering the list's content ({% pagecontentcache %}) adds the
# view restrictions, the profiles, their portraits and renditions (read only then).
INDEX_QUERIES = {"kept": 0, "rendered": 4}
PROFILE_QUERIES = {"kept": 0, "rendered": 1}


def test_the_list_and_a_profile_cost_the_same_queries_for_3_or_30_counsellors(
    fragments_cached, index
):
    counts = []
    for number in (3, 30):
        while index.get_children().count() < number:
            CounsellorPageFactory(parent=index)
        profile = index.get_children().last()
        for content in ("kept", "rendered"):
            kept = content == "kept"
            counts.append(
                (
                    content,
                    queries_of_a_render(fragments_cached, index.url, content_kept=kept),
                    queries_of_a_render(fragments_cached, profile.url, content_kept=kept),
                )
            )
    expected = [
        (content, INDEX_QUERIES[content], PROFILE_QUERIES[content])
        for content in ("kept", "rendered")
    ]
    assert counts == expected * 2
