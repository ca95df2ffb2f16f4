"""The app's own signals (the book's Blinker `user-followed`), always sent after commit.

sender is the model class; kwargs:
- user_followed / user_unfollowed: follower, followed (users)
- post_created: post
"""

from django.dispatch import Signal

user_followed = Signal()
user_unfollowed = Signal()
post_created = Signal()
post_deleted = Signal()
