from django import template
from django.utils.safestring import SafeString

from project.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """Issue and comment bodies: GitHub-flavoured text, rendered and sanitised."""
    return render_markdown(text)
