"""Celery tasks: take ids, re-fetch, call one service; all safe to run twice."""

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse

from social import services

RETRY = {"autoretry_for": (ConnectionError, TimeoutError), "retry_backoff": True, "max_retries": 5}


@shared_task(acks_late=True, **RETRY)
def feed_fanout_post_task(*, post_id: int) -> int:
    return services.feed_fanout_post(post_id=post_id)


@shared_task(acks_late=True, **RETRY)
def feed_remove_post_task(*, post_id: int, author_id: int) -> None:
    services.feed_remove_post(post_id=post_id, author_id=author_id)


@shared_task(acks_late=True, **RETRY)
def feed_backfill_task(*, follower_id: int, followed_id: int) -> None:
    services.feed_backfill(follower_id=follower_id, followed_id=followed_id)


@shared_task(acks_late=True, **RETRY)
def feed_remove_author_task(*, follower_id: int, followed_id: int) -> None:
    services.feed_remove_author(follower_id=follower_id, followed_id=followed_id)


@shared_task(acks_late=True, **RETRY)
def send_follow_email_task(*, follower_id: int, followed_id: int) -> bool:
    """Mail the followed user (the book's receiver wrongly addressed the follower)."""
    users = get_user_model().objects.in_bulk([follower_id, followed_id])
    follower, followed = users.get(follower_id), users.get(followed_id)
    if follower is None or followed is None or not followed.email:
        return False
    profile = settings.SITE_URL.rstrip("/") + reverse("social:profile", args=[follower.username])
    send_mail(
        subject=f"{follower.username} now follows you on Blueprints",
        message=f"Hi {followed.username},\n\n{follower.username} now follows you.\n"
        f"See their profile: {profile}\n",
        from_email=None,
        recipient_list=[followed.email],
    )
    return True
