from rest_framework import permissions, viewsets

from project.permissions import IsOwnerOrReadOnly
from snaps import selectors, services
from snaps.filters import SnapFilterSet
from snaps.serializers import SnapSerializer


class SnapViewSet(viewsets.ModelViewSet):
    """Code snippets, addressed by their unguessable `hash_key`.

    The list holds everyone's public snaps plus the caller's own; any snap that is
    not private (or is the caller's) can be read by key. Only owners change or delete.
    """

    serializer_class = SnapSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, IsOwnerOrReadOnly]
    lookup_field = "hash_key"
    lookup_value_regex = "[0-9a-f]{40}"
    filterset_class = SnapFilterSet
    ordering_fields = ("created_on", "name")
    ordering = ("-created_on", "-id")

    def get_queryset(self):
        if self.action == "list":
            return selectors.snap_list_listed_for(self.request.user)
        # Private snaps of others are out of the queryset: 404, not 403.
        return selectors.snap_list_reachable_by(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.snap_create(
            user=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.snap_update(
            snap=serializer.instance, by=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.snap_delete(snap=instance, by=self.request.user)
