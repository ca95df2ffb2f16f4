import pytest
from django.core.exceptions import ValidationError
from pygments.lexers.special import TextLexer

from snaps.languages import (
    GUESS_MAX_CHARS,
    extension_for_language,
    language_alias,
    language_choices,
    resolve_language,
)

pytestmark = [pytest.mark.unit]


def test_choices_cover_every_pygments_lexer_with_an_alias():
    choices = dict(language_choices())
    assert len(choices) > 500
    assert choices["python"] == "Python" and choices["rust"] == "Rust"


@pytest.mark.parametrize("typed", ["python", "Python", " PY ", "python3"])
def test_names_and_aliases_in_any_case_lead_to_the_first_alias(typed):
    assert language_alias(typed) == "python"


def test_unknown_language_is_none():
    assert language_alias("klingon") is None


def test_extension_of_a_language():
    assert extension_for_language("rust") == "rs"
    assert extension_for_language("text") == "txt"


class TestResolve:
    def test_given_language_and_extension_are_kept(self):
        assert resolve_language(name="a", extension="txt", language="Rust", content="x") == {
            "language": "rust",
            "extension": "txt",
        }

    def test_unknown_language_is_a_field_error(self):
        with pytest.raises(ValidationError) as error:
            resolve_language(name="a", extension="", language="klingon", content="x")
        assert error.value.error_dict["language"][0].code == "unknown_language"

    def test_extension_decides_when_language_is_missing(self):
        assert (
            resolve_language(name="a", extension="rs", language="", content="x = 1")["language"]
            == "rust"
        )

    def test_file_name_decides_then_gives_the_extension(self):
        assert resolve_language(name="main.go", extension="", language="", content="x") == {
            "language": "go",
            "extension": "go",
        }

    def test_content_decides_when_the_name_says_nothing(self):
        resolved = resolve_language(
            name="script", extension="", language="", content="#!/usr/bin/env python\nimport os\n"
        )
        assert resolved == {"language": "python", "extension": "py"}

    def test_nothing_known_is_plain_text(self):
        resolved = resolve_language(name="notes", extension="", language="", content="hello")
        assert resolved == {"language": "text", "extension": "txt"}

    def test_only_the_head_of_the_content_is_guessed_from(self, monkeypatch):
        seen = []
        monkeypatch.setattr(
            "snaps.languages.guess_lexer", lambda text: seen.append(len(text)) or TextLexer()
        )
        resolve_language(name="n", extension="", language="", content="x" * (GUESS_MAX_CHARS * 10))
        assert seen == [GUESS_MAX_CHARS]
