from django.dispatch import receiver

from social.signals import post_created


@receiver(post_created, dispatch_uid="mastodon_api_stream_post")
def stream_new_post(sender, post, **kwargs) -> None:
    """Sent after commit: announce the post to open streams (no query, one pipeline)."""
    from mastodon_api.streaming import stream_post_announce

    stream_post_announce(post=post)
