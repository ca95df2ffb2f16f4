"""The reltime filter: relative text, the absolute time on hover, a machine-readable value."""

from datetime import UTC, datetime, timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone

from project.templatetags.site import reltime

pytestmark = [pytest.mark.unit]


def test_reltime_renders_relative_text_with_absolute_title(settings):
    settings.TIME_ZONE = "UTC"
    moment = timezone.now() - timedelta(minutes=3)
    html = reltime(moment)
    assert html.startswith(f'<time datetime="{moment.isoformat()}" title="')
    assert moment.strftime("%H:%M") in html and "3\xa0minutes ago" in html


def test_reltime_is_a_builtin_and_empty_for_none():
    rendered = Template("{{ when|reltime }}|{{ missing|reltime }}").render(
        Context({"when": datetime(2020, 1, 2, 3, 4, tzinfo=UTC)})
    )
    assert rendered.startswith('<time datetime="2020-01-02T') and rendered.endswith("</time>|")
    assert "2 Jan 2020" in rendered
