"""What an account export holds of social."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from social.models import (
    Follow,
    Post,
)

User = get_user_model()
Viewer = AbstractBaseUser | AnonymousUser


def social_export_for_user(user_id: int):
    """A user's posts and follow graph for their data export (social/*.json)."""
    from project.export import json_bytes

    posts = Post.objects.filter(user_id=user_id).order_by("created_on", "id")
    originals = posts.filter(boost_of__isnull=True, kind=Post.Kind.POST)
    originals = originals.values("id", "content", "created_on")
    yield "social/posts.json", json_bytes(list(originals))
    boosts = posts.filter(boost_of__isnull=False).values("boost_of", "created_on")
    yield "social/boosts.json", json_bytes(list(boosts))
    following = Follow.objects.filter(follower_id=user_id).select_related("followed")
    yield "social/following.json", json_bytes([f.followed.username for f in following])
    followers = Follow.objects.filter(followed_id=user_id).select_related("follower")
    yield "social/followers.json", json_bytes([f.follower.username for f in followers])
