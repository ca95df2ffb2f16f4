"""Demo people, follows and posts for `manage.py seed_demo`."""

from django.contrib.auth import get_user_model

from social.models import Post
from social.services import follow_create, post_create

FRIENDS = {
    "ada": ["Shipped the analytical engine docs today.", "Notes on Bernoulli numbers, part 2."],
    "grace": [
        "Found a moth in relay 70. Logged it.",
        "It's easier to ask forgiveness than permission.",
    ],
    "linus": ["Talk is cheap. Show me the code."],
}


def seed(user) -> str:
    User = get_user_model()
    made_posts = 0
    for username, posts in FRIENDS.items():
        friend, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.com"}
        )
        if created:
            friend.set_unusable_password()
            friend.save(update_fields=["password"])
        for content in posts:
            if not Post.objects.filter(user=friend, content=content).exists():
                post_create(user=friend, content=content)
                made_posts += 1
        follow_create(follower=user, followed=friend)
        follow_create(follower=friend, followed=user)
    if not Post.objects.filter(user=user).exists():
        post_create(user=user, content="Hello from the demo account!")
        made_posts += 1
    return f"{len(FRIENDS)} friends followed, {made_posts} post(s) created"
