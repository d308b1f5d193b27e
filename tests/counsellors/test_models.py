import pytest
from django.core.exceptions import ValidationError
from wagtail.test.utils import WagtailPageTestCase

from counsellors.models import CounsellorIndexPage, CounsellorPage
from home.models import HomePage

from .factories import AccessibleMediaFactory, CounsellorPageFactory


class TestPageTree(WagtailPageTestCase):
    def test_the_index_lives_under_the_home_page_only(self):
        self.assertAllowedParentPageTypes(CounsellorIndexPage, {HomePage})
        self.assertCanCreateAt(HomePage, CounsellorIndexPage)
        self.assertCanNotCreateAt(CounsellorIndexPage, CounsellorIndexPage)

    def test_profiles_live_under_the_index_only(self):
        self.assertAllowedParentPageTypes(CounsellorPage, {CounsellorIndexPage})
        self.assertAllowedSubpageTypes(CounsellorIndexPage, {CounsellorPage})
        self.assertCanNotCreateAt(HomePage, CounsellorPage)

    def test_profiles_have_no_subpages(self):
        self.assertAllowedSubpageTypes(CounsellorPage, set())


def test_only_one_index_can_exist(index, home):
    assert not CounsellorIndexPage.can_create_at(home)


def test_languages_and_topics_become_lists():
    page = CounsellorPage(languages=" français,arabe , ,LSF", help_topics="CV\n\n  Logement \n")
    assert page.language_list == ["français", "arabe", "LSF"]
    assert page.help_topic_list == ["CV", "Logement"]


def test_a_profile_with_a_captioned_video_is_valid(index):
    CounsellorPageFactory(parent=index).full_clean()


def test_a_profile_with_an_embed_is_valid(index):
    CounsellorPageFactory(parent=index, embedded=True).full_clean()


@pytest.fixture
def profile(index):
    return CounsellorPageFactory(parent=index)


def clean_errors(page):
    with pytest.raises(ValidationError) as error:
        page.clean()
    return set(error.value.message_dict)


def test_a_profile_needs_a_video(profile):
    profile.video = None
    assert clean_errors(profile) == {"video"}


def test_a_profile_cannot_have_both_a_file_and_a_link(profile):
    profile.embed_url = "https://www.youtube-nocookie.com/embed/abc123"
    profile.embed_title = "Présentation"
    profile.embed_transcript = "Bonjour."
    assert clean_errors(profile) == {"video", "embed_url"}


@pytest.mark.parametrize("missing", [{"subtitles_file": ""}, {"transcript": "  "}])
def test_an_uploaded_video_needs_captions_and_a_transcript(profile, missing):
    profile.video = AccessibleMediaFactory(**missing)
    assert clean_errors(profile) == {"video"}


def test_an_audio_file_is_not_a_video(profile):
    profile.video = AccessibleMediaFactory(type="audio")
    assert clean_errors(profile) == {"video"}


def test_an_embed_needs_a_title_and_a_transcript(index):
    page = CounsellorPageFactory(parent=index, embedded=True)
    page.embed_title = ""
    page.embed_transcript = " "
    assert clean_errors(page) == {"embed_title", "embed_transcript"}


def test_saving_runs_the_checks(index):
    with pytest.raises(ValidationError):
        CounsellorPageFactory(parent=index, video=None)
