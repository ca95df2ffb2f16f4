"""Highlighting has a bounded cost: size limits, a time budget, plain excerpts on lists.

Measured on the development machine (Pygments 2.x): the OCaml lexer on a run of digits
is quadratic in the length of the line (2 000 -> 0.04 s, 4 000 -> 0.17 s, 8 000 ->
0.7 s, so 100 000 would take minutes); YAML on a run of backticks likewise (20 000 ->
2.1 s). Lines of 2 000 digits keep each token cheap (~0.04 s) but 50 of them still take
~2 s in all: that is what the time budget is for.
"""

import time

import pytest
from django.urls import reverse

from snaps import highlighting
from snaps.tests.factories import SnapFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

SLOW_OCAML = ("1" * 1999 + "\n") * 50  # 100 000 characters, every line within the limit


@pytest.fixture
def tight_budget(settings):
    # No per-lexer size limit, so only the deadline can stop the slow lexer.
    settings.SNAPS_HIGHLIGHT_MAX_CHARS_BY_LEXER = {}
    settings.SNAPS_HIGHLIGHT_SECONDS = 0.05
    return settings


def test_ordinary_code_is_highlighted():
    result = highlighting.highlight_code("def f():\n    return 1\n", "py")
    assert not result.is_plain
    assert '<span class="k">def</span>' in result.html


def test_a_slow_lexer_falls_back_to_plain_text_at_the_deadline(tight_budget):
    started = time.monotonic()
    result = highlighting.highlight_code(SLOW_OCAML, "ml")
    elapsed = time.monotonic() - started
    assert result.is_plain
    assert result.plain_reason == "took longer than 0.05 s to highlight"
    assert "1" * 1999 in result.html  # the whole text, unhighlighted
    # Far below the ~2 s the lexer needs for all of it (a ratio, not a tight timing).
    assert elapsed < 40 * tight_budget.SNAPS_HIGHLIGHT_SECONDS


def test_the_fallback_is_escaped(tight_budget):
    result = highlighting.highlight_code("<script>x</script>\n" + SLOW_OCAML, "ml")
    assert result.is_plain
    assert "<script>" not in result.html and "&lt;script&gt;" in result.html


def test_size_limit_per_lexer(settings):
    settings.SNAPS_HIGHLIGHT_MAX_CHARS_BY_LEXER = {"YAML": 100}
    result = highlighting.highlight_code("a: b\n" * 30, "yaml")
    assert result.plain_reason == "longer than 100 characters"
    assert not highlighting.highlight_code("a: b\n" * 30, "py").is_plain


def test_a_line_past_the_limit_is_plain(settings):
    settings.SNAPS_HIGHLIGHT_MAX_LINE_CHARS = 50
    result = highlighting.highlight_code("x = 1\n" + "y" * 51 + "\n", "py")
    assert result.plain_reason == "a line is longer than 50 characters"


def test_detail_page_answers_with_the_fallback_and_caches_it(client, tight_budget, monkeypatch):
    snap = SnapFactory(content=SLOW_OCAML, extension="ml")
    response = client.get(snap.get_absolute_url())
    assert response.status_code == 200
    assert b"Shown without highlighting: took longer than 0.05 s" in response.content
    renders = []
    original = highlighting._render
    monkeypatch.setattr(highlighting, "_render", lambda *a: renders.append(1) or original(*a))
    client.force_login(snap.user)  # a session: not the anonymous page cache
    assert client.get(snap.get_absolute_url()).status_code == 200
    assert renders == []  # the fallback came from the highlight cache


def test_list_pages_show_a_short_plain_excerpt(client, monkeypatch):
    SnapFactory(content="z" * 100_000, extension="yaml")
    monkeypatch.setattr(highlighting, "_render", lambda *a: pytest.fail("list highlighted"))
    response = client.get(reverse("snaps:list"))
    assert response.status_code == 200
    assert b'<pre class="plain excerpt"><code>' + b"z" * 200 + "…".encode() in response.content
    assert b"z" * 201 not in response.content


@pytest.mark.parametrize("extension", ["ml", "yaml"])
def test_default_limits_stop_the_measured_slow_lexers_before_lexing(extension, monkeypatch):
    lexers = []
    original = highlighting._format
    monkeypatch.setattr(
        highlighting,
        "_format",
        lambda text, lexer, *a: lexers.append(lexer.name) or original(text, lexer, *a),
    )
    result = highlighting.highlight_code(SLOW_OCAML, extension)
    assert result.plain_reason.startswith("longer than")
    assert lexers == ["Text only"]
