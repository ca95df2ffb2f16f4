from django.dispatch import receiver

from social.signals import post_created


@receiver(post_created, dispatch_uid="mastodon_api_stream_post")
def stream_new_post(sender, post, **kwargs) -> None:
    from mastodon_api.tasks import stream_post_announce_task

    stream_post_announce_task.delay(post_id=post.pk)
