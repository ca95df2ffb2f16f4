"""Blocks and mutes. A block ends follows both ways and, from then on, the blocked user
cannot follow, see, reply to or mention the blocker (the selectors hide posts, the
follow/reply/notification services refuse). A mute only hides: the muted user's posts
leave the muter's timelines at read time (so also those already fanned out), and
their notifications stop."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from social.feeds import forget_cached_pages
from social.models import Block, Mute


def is_blocked_between(a_id: int, b_id: int) -> bool:
    """Whether either of the two users blocked the other."""
    return Block.objects.filter(
        Q(actor_id=a_id, target_id=b_id) | Q(actor_id=b_id, target_id=a_id)
    ).exists()


def silenced_between(*, recipient_id: int, actor_id: int) -> bool:
    """Whether news from `actor` must not reach `recipient`: a block either way, or
    the recipient muted the actor. One query."""
    return (
        Block.objects.filter(
            Q(actor_id=recipient_id, target_id=actor_id)
            | Q(actor_id=actor_id, target_id=recipient_id)
        )
        .union(Mute.objects.filter(actor_id=recipient_id, target_id=actor_id))
        .exists()
    )


def _pair_create(model, *, actor: AbstractBaseUser, target: AbstractBaseUser, verb: str) -> bool:
    if actor.pk == target.pk:
        raise ValidationError(f"You cannot {verb} yourself.", code=f"self_{verb}")
    try:
        with transaction.atomic():
            _, created = model.objects.get_or_create(actor=actor, target=target)
    except IntegrityError:  # a concurrent request made it first
        return False
    return created


def block_create(*, blocker: AbstractBaseUser, blocked: AbstractBaseUser) -> bool:
    """True when the block is new. Follows between the two end (with their signals,
    so stored feeds are pruned)."""
    from social import services  # follow_delete lives in the package

    created = _pair_create(Block, actor=blocker, target=blocked, verb="block")
    if created:
        services.follow_delete(follower=blocker, followed=blocked)
        services.follow_delete(follower=blocked, followed=blocker)
        services.boosts_delete_between(a=blocker, b=blocked)
        forget_cached_pages([blocker.pk, blocked.pk])
    return created


def block_delete(*, blocker: AbstractBaseUser, blocked: AbstractBaseUser) -> bool:
    deleted, _ = Block.objects.filter(actor=blocker, target=blocked).delete()
    if deleted:
        forget_cached_pages([blocker.pk, blocked.pk])
    return bool(deleted)


def mute_create(*, muter: AbstractBaseUser, muted: AbstractBaseUser) -> bool:
    created = _pair_create(Mute, actor=muter, target=muted, verb="mute")
    if created:
        forget_cached_pages([muter.pk])
    return created


def mute_delete(*, muter: AbstractBaseUser, muted: AbstractBaseUser) -> bool:
    deleted, _ = Mute.objects.filter(actor=muter, target=muted).delete()
    if deleted:
        forget_cached_pages([muter.pk])
    return bool(deleted)


def follow_refusal(*, follower: AbstractBaseUser, followed: AbstractBaseUser) -> None:
    """ValidationError when a block stands between the two."""
    if Block.objects.filter(actor=follower, target=followed).exists():
        raise ValidationError(
            f"You blocked {followed.get_username()}: unblock them first.", code="blocked"
        )
    if Block.objects.filter(actor=followed, target=follower).exists():
        raise ValidationError(f"You cannot follow {followed.get_username()}.", code="blocked")
