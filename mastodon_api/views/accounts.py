"""/api/v1/accounts/…, relationships, blocks and mutes."""

from django.core.exceptions import ValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response

from accounts import selectors as account_selectors
from accounts import services as account_services
from mastodon_api.entities import EntityContext, relationships
from mastodon_api.views.base import MastodonApi, bool_param, id_param
from mastodon_api.views.paging import keyset_page, limit_param, link_header, offset_page, positions
from social import selectors as social_selectors
from social import services as social_services


def account_get(id: str):
    return account_selectors.user_get_by_id(id_param(id, name="id"))


def _accounts_response(request, rows) -> Response:
    users, link = offset_page(rows, request, limit=limit_param(request))
    context = EntityContext(request, users=users)
    headers = {"Link": link} if link else {}
    return Response([context.account(user) for user in users], headers=headers)


class VerifyCredentialsApi(MastodonApi):
    required_scopes = {"GET": "profile"}

    def get(self, request, *args, **kwargs) -> Response:
        return Response(
            EntityContext(request, users=[request.user]).credential_account(request.user)
        )


class UpdateCredentialsApi(MastodonApi):
    required_scopes = {"PATCH": "write:accounts"}

    def patch(self, request, *args, **kwargs) -> Response:
        data = request.data
        fields = {}
        for ours, theirs in (("display_name", "display_name"), ("bio", "note")):
            if theirs in data:
                if not isinstance(data[theirs], str):
                    raise exceptions.ValidationError({theirs: ["must be a string"]})
                fields[ours] = data[theirs]
        user = account_services.user_profile_update(user=request.user, **fields)
        if "avatar" in request.FILES:
            user = account_services.user_avatar_set(user=user, file=request.FILES["avatar"])
        return Response(EntityContext(request, users=[user]).credential_account(user))


class AccountDetailApi(MastodonApi):
    required_scopes = {"GET": None}

    def get(self, request, id: str, *args, **kwargs) -> Response:
        user = account_get(id)
        return Response(EntityContext(request, users=[user]).account(user))


class AccountLookupApi(MastodonApi):
    required_scopes = {"GET": None}

    def get(self, request, *args, **kwargs) -> Response:
        acct = request.query_params.get("acct", "").removeprefix("@")
        name, _, host = acct.partition("@")
        if not name or (host and host.lower() != request.get_host().lower()):
            raise Http404("Record not found")
        user = account_selectors.user_get_by_username(name)
        return Response(EntityContext(request, users=[user]).account(user))


class AccountStatusesApi(MastodonApi):
    required_scopes = {"GET": None}

    def get(self, request, id: str, *args, **kwargs) -> Response:
        user = account_get(id)
        limit = limit_param(request)
        if bool_param(request.query_params.get("pinned"), name="pinned") or bool_param(
            request.query_params.get("only_media"), name="only_media"
        ):
            return Response([])  # no pins; media statuses come with the media step
        rows = social_selectors.post_list(author=user, viewer=request.user)
        if bool_param(request.query_params.get("exclude_replies"), name="exclude_replies"):
            rows = rows.filter(in_reply_to__isnull=True)
        posts = keyset_page(
            rows, found=post_positions(request), limit=limit, time_field="created_on"
        )
        return statuses_response(request, posts)


def post_cursors(request) -> dict:
    """max_id/since_id/min_id as the feed's cursors (a post's time and id)."""
    found = {}
    for name, post_id in positions(request).items():
        cursor = social_selectors.post_cursor(post_id)
        if cursor is None:
            raise exceptions.ValidationError({name: ["no status with this id"]})
        found[name] = cursor
    return found


def post_positions(request) -> dict[str, tuple]:
    return {name: (c.created_on, c.post_id) for name, c in post_cursors(request).items()}


def statuses_response(request, posts) -> Response:
    context = EntityContext(request, posts=posts)
    link = link_header(request, [post.pk for post in posts])
    return Response(
        [context.status(post) for post in posts], headers={"Link": link} if link else {}
    )


class AccountRelationListApi(MastodonApi):
    required_scopes = {"GET": None}
    relation = "followers"

    def get(self, request, id: str, *args, **kwargs) -> Response:
        user = account_get(id)
        if self.relation == "followers":
            rows = social_selectors.user_list_followers(user)
        else:
            rows = social_selectors.user_list_following(user)
        return _accounts_response(request, rows)


class RelationshipActionApi(MastodonApi):
    """follow, unfollow, block, unblock, mute, unmute: the Relationship afterwards."""

    action = "follow"
    scopes = {
        "follow": "write:follows",
        "unfollow": "write:follows",
        "block": "write:blocks",
        "unblock": "write:blocks",
        "mute": "write:mutes",
        "unmute": "write:mutes",
    }

    @property
    def required_scopes(self) -> dict:
        return {"POST": self.scopes[self.action]}

    def post(self, request, id: str, *args, **kwargs) -> Response:
        person, me = account_get(id), request.user
        if person.pk == me.pk:
            raise ValidationError(f"You cannot {self.action} yourself.", code="self")
        match self.action:
            case "follow":
                social_services.follow_create(follower=me, followed=person)
            case "unfollow":
                social_services.follow_delete(follower=me, followed=person)
            case "block":
                social_services.block_create(blocker=me, blocked=person)
            case "unblock":
                social_services.block_delete(blocker=me, blocked=person)
            case "mute":
                social_services.mute_create(muter=me, muted=person)
            case "unmute":
                social_services.mute_delete(muter=me, muted=person)
        return Response(relationships(request, [person])[0])


class RelationshipsApi(MastodonApi):
    required_scopes = {"GET": "read:follows"}

    def get(self, request, *args, **kwargs) -> Response:
        ids = [id_param(value, name="id") for value in self.list_param("id")][:40]
        users = account_selectors.user_list_by_ids([pk for pk in ids if pk is not None])
        return Response(relationships(request, users))


class BlockListApi(MastodonApi):
    required_scopes = {"GET": "read:blocks"}

    def get(self, request, *args, **kwargs) -> Response:
        return _accounts_response(request, social_selectors.user_list_blocked(request.user))


class MuteListApi(MastodonApi):
    required_scopes = {"GET": "read:mutes"}

    def get(self, request, *args, **kwargs) -> Response:
        return _accounts_response(request, social_selectors.user_list_muted(request.user))


class FollowRequestListApi(MastodonApi):
    """Accounts are never locked here, so there are no follow requests."""

    required_scopes = {"GET": "read:follows"}

    def get(self, request, *args, **kwargs) -> Response:
        return Response([])
