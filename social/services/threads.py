"""Replies: a reply is an ordinary post (feeds carry it to its author's followers),
linked to its parent and to its thread's first post, counted on the parent."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db.models import F
from django.db.models.functions import Greatest

from social.models import Notification, Post
from social.services.blocks import is_blocked_between
from social.services.notifications import notification_create
from social.services.pages import feed_pages_forget_for_readers_of


def reply_parent_get(*, user: AbstractBaseUser, in_reply_to_id: int) -> Post:
    """The post `user` may reply to, or a ValidationError on `in_reply_to`."""
    parent = (
        Post.objects.select_related("user")
        .filter(pk=in_reply_to_id, boost_of__isnull=True, kind=Post.Kind.POST)
        .first()
    )
    # A post whose author blocked the replier (or was blocked) is not theirs to see.
    if parent is None or is_blocked_between(parent.user_id, user.pk):
        raise ValidationError(
            {"in_reply_to": "The post you are replying to does not exist (any more)."},
            code="no_such_post",
        )
    return parent


def reply_attach(*, post: Post, parent: Post) -> None:
    """Before saving: place `post` in `parent`'s thread."""
    post.in_reply_to = parent
    post.conversation_id = parent.thread_root_id


def reply_recorded(*, post: Post) -> None:
    """After saving a reply: count it on the parent and tell the parent's author."""
    parent = post.in_reply_to
    reply_count_move(post_id=parent.pk, author_id=parent.user_id, delta=+1)
    notification_create(
        recipient=parent.user, actor=post.user, kind=Notification.Kind.REPLY, post=post
    )


def reply_count_move(*, post_id: int, author_id: int, delta: int) -> None:
    """Move a post's reply count atomically (never below 0). Removals come through the
    Post post_delete receiver, so every way a reply goes is counted."""
    Post.objects.filter(pk=post_id).update(reply_count=Greatest(F("reply_count") + delta, 0))
    feed_pages_forget_for_readers_of(author_id)  # cached feed pages show the count
