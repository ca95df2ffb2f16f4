from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from project.throttling import ScopedRateThrottle
from snaps import selectors, services
from snaps.authorship import TOKEN_HEADER
from snaps.filters import SnapFilterSet
from snaps.permissions import IsSnapAuthorOrReadOnly
from snaps.serializers import SnapForkInputSerializer, SnapRevisionSerializer, SnapSerializer

SNAP_TOKEN_PARAMETER = OpenApiParameter(
    name=TOKEN_HEADER,
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description="The secret edit token of an anonymous snap (the `edit_token` of the answer "
    "that created it): it makes the caller the snap's author, who may change or delete it, "
    "and whose own views of a one-time snap do not count.",
)
# The operations that read the header; no other operation does.
_WITH_TOKEN = extend_schema(parameters=[SNAP_TOKEN_PARAMETER])


@extend_schema_view(
    retrieve=_WITH_TOKEN, update=_WITH_TOKEN, partial_update=_WITH_TOKEN, destroy=_WITH_TOKEN
)
class SnapViewSet(viewsets.ModelViewSet):
    """Code snippets, addressed by their unguessable `hash_key`.

    The list holds everyone's public snaps plus the caller's own; any snap that is
    not private (or is the caller's) can be read by key. Only owners change or delete.
    Without an account (if the site allows it), a new snap's answer holds its
    `edit_token`, once: send it as `X-Snap-Token` to change or delete that snap.
    """

    serializer_class = SnapSerializer
    permission_classes = [IsSnapAuthorOrReadOnly]
    lookup_field = "hash_key"
    lookup_value_regex = "[0-9a-f]{40}"
    filterset_class = SnapFilterSet
    ordering_fields = ("created_on", "name")
    ordering = ("-created_on", "-id")

    def get_permissions(self):
        # AllowAny as well (a no-op next to the rule) where callers need no account, so
        # the schema says so: reads, and creating while anonymous snaps are allowed.
        allowed = super().get_permissions()
        if self.request is not None and (
            self.request.method in permissions.SAFE_METHODS
            or (self.action == "create" and settings.SNAPS_ALLOW_ANONYMOUS)
        ):
            allowed.append(permissions.AllowAny())
        return allowed

    def get_throttles(self):
        if self.action == "create" and not self.request.user.is_authenticated:
            self.throttle_scope = "snaps-anonymous"
            return [*super().get_throttles(), ScopedRateThrottle()]
        return super().get_throttles()

    def get_queryset(self):
        if self.action == "list":
            snaps = selectors.snap_list_listed_for(self.request.user)
        else:
            # Private snaps of others are out of the queryset: 404, not 403.
            snaps = selectors.snap_list_reachable_by(self.request.user)
        # The parent for its key and visibility; every file in full.
        snaps = selectors.with_files(snaps.select_related("parent"))
        snaps = selectors.with_first_name(snaps).prefetch_related("tags")  # ?ordering=name
        return selectors.with_fork_counts(snaps)

    @extend_schema(request=SnapForkInputSerializer, responses={201: SnapSerializer})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def fork(self, request, *args, **kwargs):
        """Fork a snap you can see into your account; any field given changes the copy,
        making it a reply (as in dpaste). Others' unlisted snaps are a 404."""
        snap = self.get_object()
        serializer = SnapForkInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "expires_in" in data:
            data |= services.expiry_options(data.pop("expires_in"))
        fork = services.snap_fork(snap=snap, by=request.user, **data)
        output = SnapSerializer(fork, context=self.get_serializer_context())
        return Response(output.data, status=status.HTTP_201_CREATED)

    def retrieve(self, request, *args, **kwargs):
        token = request.headers.get(TOKEN_HEADER, "")
        snap = services.snap_open(snap=self.get_object(), viewer=request.user, token=token)
        return Response(self.get_serializer(snap).data)

    def perform_create(self, serializer):
        # `files`, or the single-file fields (one file), as snap_create takes them.
        data = dict(serializer.validated_data)
        if "expires_in" in data:
            data |= services.expiry_options(data.pop("expires_in"))
        if self.request.user.is_authenticated:
            serializer.instance = services.snap_create(user=self.request.user, **data)
        else:
            snap, snap.edit_token = services.snap_create_anonymous(**data)
            serializer.instance = snap

    def perform_update(self, serializer):
        serializer.instance = services.snap_update(
            snap=serializer.instance,
            by=self.request.user,
            token=self.request.headers.get(TOKEN_HEADER, ""),
            **serializer.validated_data,
        )

    def perform_destroy(self, instance):
        services.snap_delete(
            snap=instance, by=self.request.user, token=self.request.headers.get(TOKEN_HEADER, "")
        )


class SnapRevisionListApi(generics.ListAPIView):
    """A snap's revisions, newest (its current state) first. Only the author sees the
    history of an unlisted, private or one-time snap; others get a 404."""

    serializer_class = SnapRevisionSerializer
    permission_classes = [permissions.AllowAny]
    filter_backends = []

    def get_queryset(self):
        snap = selectors.snap_get_with_history(
            hash_key=self.kwargs["hash_key"], viewer=self.request.user
        )
        return selectors.snap_revision_list(snap, with_content=True)
