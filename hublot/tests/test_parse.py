import pytest

from hublot.services import BAD_FORMAT, NOT_GITHUB, HublotError, parse_repository_ref

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "text",
    [
        "https://github.com/django/django",
        "http://github.com/django/django",
        "https://www.github.com/django/django/",
        "https://github.com/django/django.git",
        "git@github.com:django/django.git",
        "django/django",
    ],
)
def test_accepted_forms(text):
    assert parse_repository_ref(text) == ("django", "django")


def test_names_with_dots_and_dashes():
    assert parse_repository_ref("https://github.com/a-b/c.d_e-f") == ("a-b", "c.d_e-f")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("https://gitlab.com/django/django", NOT_GITHUB),
        ("ftp://github.com/django/django", NOT_GITHUB),
        ("git@gitlab.com:django/django.git", NOT_GITHUB),
        ("https://github.com/django", BAD_FORMAT),
        ("https://github.com/django/django/issues", BAD_FORMAT),
        ("https://github.com//django", BAD_FORMAT),
        ("https://github.com/-bad/repo", BAD_FORMAT),
        ("https://github.com/" + "o" * 40 + "/repo", BAD_FORMAT),
        ("https://github.com/owner/..", BAD_FORMAT),
        ("https://github.com/owner/re po", BAD_FORMAT),
        ("", BAD_FORMAT),
        ("just-words", BAD_FORMAT),
    ],
)
def test_rejected_forms(text, message):
    with pytest.raises(HublotError) as info:
        parse_repository_ref(text)
    assert str(info.value) == message
