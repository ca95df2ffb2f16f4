"""What a post's text refers to: its #tags are recorded for the tag pages, and the
users it @mentions are notified (once per post; see social.text for the parsing)."""

from django.contrib.auth import get_user_model
from django.db.models.functions import Lower

from social.models import Notification, Post, Tag
from social.services.notifications import notification_create
from social.text import hashtags, mentioned_usernames


def post_tags_update(*, post: Post, new: bool = False) -> None:
    """Point the post at the tags its text has now (creating new ones), in 3-4 queries;
    none for a `new` post without tags."""
    names = hashtags(post.content)
    if new and not names:
        return
    if names:
        Tag.objects.bulk_create([Tag(name=name) for name in names], ignore_conflicts=True)
    post.tags.set(Tag.objects.filter(name__in=names))


def post_mentions_notify(*, post: Post, unless_in: str = "") -> int:
    """Notify the existing users the post mentions (not its author, nor the author of
    the post it replies to, who is told of the reply, nor those `unless_in`, the text
    before an edit, already mentioned); returns how many were told."""
    before = {name.casefold() for name in mentioned_usernames(unless_in)}
    names = [
        folded
        for name in mentioned_usernames(post.content)
        if (folded := name.casefold()) not in before
    ]
    if not names:
        return 0
    skip = {post.user_id}
    if post.in_reply_to_id is not None:
        skip.add(post.in_reply_to.user_id)
    users = (
        get_user_model()
        .objects.annotate(folded=Lower("username"))
        .filter(folded__in=names, is_active=True)
        .exclude(pk__in=skip)
    )
    told = 0
    for user in users:
        if notification_create(
            recipient=user, actor=post.user, kind=Notification.Kind.MENTION, post=post
        ):
            told += 1
    return told
