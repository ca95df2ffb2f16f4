from django import template
from django.utils.safestring import SafeString

from social.text import render_post

register = template.Library()


@register.filter(name="post_html")
def post_html(content: str) -> SafeString:
    """`{{ post.content|post_html }}`: escaped text with its links (social.text)."""
    return render_post(content)
