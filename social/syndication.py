"""RSS and Atom feeds of one user's public posts (django.contrib.syndication)."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator

from accounts.selectors import user_get_by_username
from social import selectors
from social.models import Post
from social.text import render_post

ITEMS = 20


@dataclass(frozen=True)
class Subject:
    """Whose posts, read by whom (the Feed instance is shared by every request)."""

    person: AbstractBaseUser
    viewer: AbstractBaseUser | AnonymousUser


class UserPostsRss(Feed):
    def get_object(self, request: HttpRequest, username: str) -> Subject:
        return Subject(person=user_get_by_username(username), viewer=request.user)

    def title(self, subject: Subject) -> str:
        return f"{subject.person.username} on Blueprints"

    def link(self, subject: Subject) -> str:
        return reverse("profile", args=[subject.person.username])

    def description(self, subject: Subject) -> str:
        return f"The latest posts by {subject.person.username}."

    def items(self, subject: Subject):
        return selectors.post_list(author=subject.person, viewer=subject.viewer, with_photos=False)[
            :ITEMS
        ]

    def item_title(self, post: Post) -> str:
        return Truncator(post.content.replace("\n", " ")).chars(80)

    def item_description(self, post: Post) -> str:
        return render_post(post.content)  # escaped text with its links; the XML escapes again

    def item_pubdate(self, post: Post):
        return post.created_on

    def item_updateddate(self, post: Post):
        return post.edited_on or post.created_on

    def item_author_name(self, post: Post) -> str:
        return post.user.username


class UserPostsAtom(UserPostsRss):
    feed_type = Atom1Feed

    def subtitle(self, subject: Subject) -> str:
        return self.description(subject)
