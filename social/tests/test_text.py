"""Post text: @mentions, #tags and URLs become links; nothing else becomes markup."""

import pytest

from social.text import hashtags, mentioned_usernames, render_post

pytestmark = pytest.mark.unit


class TestRender:
    def test_links_urls_mentions_and_tags(self):
        html = render_post("Hi @alice, see https://example.com/a?b=1&c=2. #Django\nbye")
        assert html == (
            'Hi <a href="/u/alice/" class="mention">@alice</a>, see '
            '<a href="https://example.com/a?b=1&amp;c=2" rel="nofollow noopener" class="url">'
            "https://example.com/a?b=1&amp;c=2</a>. "
            '<a href="/social/tags/django/" class="hashtag">#Django</a><br>bye'
        )

    @pytest.mark.parametrize(
        "hostile",
        [
            "<script>alert(1)</script>",
            '"><img src=x onerror=alert(1)>',
            "javascript:alert(1)",
            "https://example.com/\"onmouseover='alert(1)'",
            "https://example.com/<b>x</b>",
            "@<b>bob</b> #<i>tag</i>",
            "http://</a><script>x</script>",
            "data:text/html,<script>alert(1)</script>",
        ],
    )
    def test_hostile_text_never_becomes_markup(self, hostile):
        html = render_post(hostile)
        without_ours = (
            html.replace('<a href="', "")
            .replace('" rel="nofollow noopener" class="url">', "")
            .replace('" class="mention">', "")
            .replace('" class="hashtag">', "")
            .replace("</a>", "")
            .replace("<br>", "")
        )
        assert "<" not in without_ours and ">" not in without_ours
        assert 'href="javascript' not in html and 'href="data' not in html
        assert "<script" not in html and "<img" not in html and "<b>" not in html

    def test_unsafe_schemes_stay_text(self):
        assert render_post("javascript:alert(1)") == "javascript:alert(1)"
        assert "href" not in render_post("ftp://example.com/file")

    def test_url_fragment_and_email_are_not_tags_or_mentions(self):
        html = render_post("https://example.com/#top mail me: bob@example.com &#1;")
        assert 'class="hashtag"' not in html
        assert 'class="mention"' not in html
        assert "&amp;#1;" in html

    def test_closing_bracket_belongs_to_the_url_only_when_opened(self):
        assert 'href="https://en.wikipedia.org/wiki/A_(B)"' in render_post(
            "(https://en.wikipedia.org/wiki/A_(B))"
        )
        assert 'href="https://example.com/x"' in render_post("(https://example.com/x)")


class TestParse:
    def test_mentions_are_distinct_in_order(self):
        assert mentioned_usernames("@bob @alice. @Bob @a.b-c x@y") == ["bob", "alice", "a.b-c"]

    def test_tags_need_a_letter_and_are_casefolded(self):
        assert hashtags("#One #one #1 #two_2 a#b #Ünïcode") == ["one", "two_2", "ünïcode"]
