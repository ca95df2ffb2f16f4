import pytest
from django.core.exceptions import ValidationError

from snaps.validators import normalize_extension, validate_content, validate_name

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("raw", "expected"), [("py", "py"), (".PY", "py"), (" c++ ", "c++"), ("c#", "c#")]
)
def test_normalize_extension_accepts_and_normalises(raw, expected):
    assert normalize_extension(raw) == expected


@pytest.mark.parametrize("raw", ["", ".", "a" * 13, "py/../x", "p y", "<script>"])
def test_normalize_extension_rejects(raw):
    with pytest.raises(ValidationError):
        normalize_extension(raw)


@pytest.mark.parametrize("name", ["a\nb", "evil\r\nSet-Cookie: x", "../etc/passwd", "a\\b"])
def test_validate_name_rejects_header_and_path_tricks(name):
    with pytest.raises(ValidationError):
        validate_name(name)


def test_validate_content_rejects_whitespace_only():
    with pytest.raises(ValidationError, match="empty"):
        validate_content("   \n\t ")


def test_validate_content_enforces_the_size_limit(settings):
    settings.SNAPS_MAX_CONTENT_CHARS = 10
    validate_content("x" * 10)
    with pytest.raises(ValidationError, match="too long"):
        validate_content("x" * 11)
