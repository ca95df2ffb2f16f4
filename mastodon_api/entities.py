"""Mastodon's entities (docs.joinmastodon.org/entities/) from Blueprints' users, posts
and notifications. A page is rendered by one `EntityContext`, which reads what every
entity of the page needs in a fixed number of queries, whatever the page's size."""

from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import escape, linebreaks

from accounts import selectors as account_selectors
from mastodon_api.selectors import media_focus_for_photos
from social import selectors as social_selectors
from social.text import hashtags, mentioned_usernames, render_post

DEFAULT_AVATAR = "mastodon_api/avatar.svg"
NOTIFICATION_TYPES = {
    "follow": "follow",
    "mention": "mention",
    "reply": "mention",
    "like": "favourite",
    "boost": "reblog",
}


def iso(moment) -> str | None:
    if moment is None:
        return None
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def status_html(content: str) -> str:
    """The post as the web pages render it, in Mastodon's paragraph."""
    return f"<p>{render_post(content)}</p>"


class EntityContext:
    def __init__(self, request, *, posts=(), users=(), notifications=()) -> None:
        self.request = request
        self.viewer = request.user
        posts = list(posts)
        for notification in notifications:
            users = [*users, notification.actor]
            if notification.post is not None:
                posts.append(notification.post)
        social_selectors.posts_mark_viewer_state(
            [post for post in posts if not hasattr(post, "viewer_liked")], self.viewer
        )
        # A boost renders as Mastodon's wrapper around its original (read with it by
        # every feed strategy's select_related), so the page reads for both.
        posts += [post.boost_of for post in posts if post.boost_of_id is not None]
        user_ids = {user.pk for user in users} | {post.user_id for post in posts}
        self.counts = social_selectors.user_social_counts(sorted(user_ids))
        self.parent_authors = social_selectors.post_author_ids(
            sorted({post.in_reply_to_id for post in posts if post.in_reply_to_id})
        )
        names = sorted(
            {name.casefold() for post in posts for name in mentioned_usernames(post.content)}
        )
        self.mentioned = account_selectors.user_list_by_usernames(names)
        # A post's photos are social's attachments (the web page's too); the media API
        # adds only the focal point of the ones it uploaded.
        social_selectors.posts_with_photos(posts)
        self.focus = media_focus_for_photos(
            sorted({item.photo_id for post in posts for item in post.attachments.all()})
        )

    def absolute(self, path: str) -> str:
        return self.request.build_absolute_uri(path)

    def account(self, user) -> dict:
        counts = self.counts.get(user.pk) or social_selectors.user_social_counts([user.pk])[user.pk]
        avatar = self.absolute(user.avatar.url if user.avatar else static(DEFAULT_AVATAR))
        profile = self.absolute(reverse("profile", args=[user.username]))
        last = counts["last_post"]
        return {
            "id": str(user.pk),
            "username": user.username,
            "acct": user.username,
            "display_name": user.display_name or "",
            "locked": False,
            "bot": False,
            "discoverable": True,
            "group": False,
            "created_at": iso(user.date_joined),
            "note": linebreaks(escape(user.bio)) if user.bio else "",
            "url": profile,
            "uri": profile,
            "avatar": avatar,
            "avatar_static": avatar,
            "header": "",
            "header_static": "",
            "followers_count": counts["followers"],
            "following_count": counts["following"],
            "statuses_count": counts["posts"],
            "last_status_at": last.date().isoformat() if last else None,
            "emojis": [],
            "fields": (
                [{"name": "Website", "value": escape(user.website), "verified_at": None}]
                if user.website
                else []
            ),
        }

    def credential_account(self, user) -> dict:
        return self.account(user) | {
            "source": {
                "note": user.bio,
                "fields": [],
                "privacy": "public",
                "sensitive": False,
                "language": None,
                "follow_requests_count": 0,
            }
        }

    def status(self, post) -> dict:
        if post.boost_of_id is not None:
            return self.reblog_status(post)
        url = self.absolute(post.get_absolute_url())
        mentions = []
        for name in mentioned_usernames(post.content):
            if (user := self.mentioned.get(name.casefold())) is not None:
                profile = self.absolute(reverse("profile", args=[user.username]))
                mentions.append(
                    {
                        "id": str(user.pk),
                        "username": user.username,
                        "url": profile,
                        "acct": user.username,
                    }
                )
        tags = [
            {"name": tag, "url": self.absolute(reverse("social:tag", args=[tag]))}
            for tag in hashtags(post.content)
        ]
        parent_author = self.parent_authors.get(post.in_reply_to_id)
        return {
            "id": str(post.pk),
            "created_at": iso(post.created_on),
            "in_reply_to_id": str(post.in_reply_to_id) if post.in_reply_to_id else None,
            "in_reply_to_account_id": str(parent_author) if parent_author else None,
            "sensitive": False,
            "spoiler_text": "",
            "visibility": "public",
            "language": None,
            "uri": url,
            "url": url,
            "replies_count": post.reply_count,
            "reblogs_count": post.boost_count,
            "favourites_count": post.like_count,
            "edited_at": iso(post.edited_on),
            "favourited": bool(getattr(post, "viewer_liked", False)),
            "reblogged": bool(getattr(post, "viewer_boosted", False)),
            "muted": False,
            "bookmarked": False,
            "pinned": False,
            "content": status_html(post.content),
            "filtered": [],
            "reblog": None,
            "application": None,
            "account": self.account(post.user),
            "media_attachments": [
                self.media_attachment(item.photo, focus=self.focus.get(item.photo_id))
                for item in post.attachments.all()
            ],
            "mentions": mentions,
            "tags": tags,
            "emojis": [],
            "card": None,
            "poll": None,
            "text": None,
        }

    def reblog_status(self, boost) -> dict:
        """Mastodon's wrapper of a boost: the booster's status, no content of its own,
        `reblog` the original; the viewer's flags are the original's (as on Mastodon)."""
        original = self.status(boost.boost_of)
        uri = self.absolute(f"{reverse('profile', args=[boost.user.username])}#boost-{boost.pk}")
        return original | {
            "id": str(boost.pk),
            "created_at": iso(boost.created_on),
            "in_reply_to_id": None,
            "in_reply_to_account_id": None,
            "uri": uri,
            "url": None,
            "replies_count": 0,
            "reblogs_count": 0,
            "favourites_count": 0,
            "edited_at": None,
            "content": "",
            "reblog": original,
            "account": self.account(boost.user),
            "media_attachments": [],
            "mentions": [],
            "tags": [],
        }

    def media_attachment(self, photo, *, focus: tuple[float, float] | None = None) -> dict:
        """Mastodon's MediaAttachment of a photo, its id the photo's; `url` is null
        while the worker processes it."""
        focus_x, focus_y = focus or (0.0, 0.0)
        ready = photo.status == photo.Status.READY
        original = {
            "width": photo.display_width or photo.width,
            "height": photo.display_height or photo.height,
        }
        small = {"width": photo.thumbnail_side, "height": photo.thumbnail_side}
        for size in (original, small):
            if size["width"] and size["height"]:
                size["size"] = f"{size['width']}x{size['height']}"
                size["aspect"] = size["width"] / size["height"]
        return {
            "id": str(photo.pk),
            "type": "image",
            "url": self.absolute(photo.image.url) if ready else None,
            "preview_url": self.absolute(photo.thumbnail.url) if ready else None,
            "remote_url": None,
            "text_url": None,
            "meta": {
                "original": original,
                "small": small,
                "focus": {"x": focus_x, "y": focus_y},
            },
            "description": photo.alt_text or None,
            "blurhash": photo.blurhash or None,
        }

    def notification(self, notification) -> dict:
        return {
            "id": str(notification.pk),
            "type": NOTIFICATION_TYPES[notification.kind],
            "created_at": iso(notification.created_on),
            "account": self.account(notification.actor),
            "status": self.status(notification.post) if notification.post is not None else None,
        }


def relationships(request, users) -> list[dict]:
    sets = social_selectors.relationship_sets(request.user, [user.pk for user in users])
    return [
        {
            "id": str(user.pk),
            "following": user.pk in sets["following"],
            "showing_reblogs": user.pk in sets["following"],
            "notifying": False,
            "languages": None,
            "followed_by": user.pk in sets["followed_by"],
            "blocking": user.pk in sets["blocking"],
            "blocked_by": user.pk in sets["blocked_by"],
            "muting": user.pk in sets["muting"],
            "muting_notifications": user.pk in sets["muting"],
            "requested": False,
            "requested_by": False,
            "domain_blocking": False,
            "endorsed": False,
            "note": "",
        }
        for user in users
    ]
