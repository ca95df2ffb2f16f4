from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, Throttled, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from project.parsers import MultiPartParser
from project.permissions import IsOwnerOrReadOnly
from project.throttling import ScopedRateThrottle
from recipes import selectors, services
from recipes.clients import RemoteError
from recipes.filters import RecipeFilterSet
from recipes.schema_org import recipe_jsonld
from recipes.serializers import (
    CookedSerializer,
    FriendSerializer,
    PictureUploadSerializer,
    RatingInputSerializer,
    ReactionsSerializer,
    RecipeImportInputSerializer,
    RecipeSerializer,
    ScaledRecipeSerializer,
    ScaleQuerySerializer,
    ShoppingItemCheckSerializer,
    ShoppingItemSerializer,
    ShoppingListSerializer,
    ShoppingPickSerializer,
    StepSerializer,
    TagSerializer,
)


class JsonLdRenderer(JSONRenderer):
    """Chosen by `Accept: application/ld+json`; errors and everything else stay JSON."""

    media_type = "application/ld+json"


def _set_or_clear_action(*, request, response, **options):
    """A detail action that sets something (POST) or clears it (DELETE), with its schema."""

    def decorate(method):
        method = action(
            detail=True,
            methods=["post", "delete"],
            filter_backends=[],
            pagination_class=None,
            **options,
        )(method)
        return extend_schema(request=request, responses={200: response})(method)

    return decorate


PICTURE_UPLOAD = {"multipart/form-data": PictureUploadSerializer}
SIGNED_IN = [permissions.IsAuthenticated]


class RecipeViewSet(viewsets.ModelViewSet):
    """Recipes, newest first. Creating one announces it on the author's connected networks."""

    serializer_class = RecipeSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, IsOwnerOrReadOnly]
    filterset_class = RecipeFilterSet
    ordering_fields = (
        "created_on",
        "title",
        "total_time_minutes",
        "prep_time_minutes",
        "cook_time_minutes",
    )

    def get_queryset(self):
        viewer = self.request.user
        if self.action == "list":
            username = self.request.query_params.get("user") or None
            recipes = selectors.recipe_list(viewer=viewer, username=username)
        else:  # opened by id: unlisted ones too, private ones only for their people
            recipes = selectors.recipe_visible(viewer).select_related("user")
            recipes = recipes.prefetch_related("tags")
        return recipes.prefetch_related("crossposts", "ingredient_rows", "steps", "shared_with")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.recipe_create(
            user=self.request.user, share_on=data.pop("share_on", None), **data
        )

    def perform_update(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k != "share_on"}
        serializer.instance = services.recipe_update(
            recipe=serializer.instance, by=self.request.user, **data
        )

    def perform_destroy(self, instance):
        services.recipe_delete(recipe=instance, by=self.request.user)

    @extend_schema(
        responses={
            (200, media): OpenApiResponse(OpenApiTypes.OBJECT, description="A schema.org Recipe.")
            for media in ("application/ld+json", "application/json")
        }
    )
    @action(
        detail=True,
        methods=["get"],
        filter_backends=[],
        pagination_class=None,
        renderer_classes=[JSONRenderer, JsonLdRenderer],  # errors stay JSON
    )
    def jsonld(self, request, *args, **kwargs) -> Response:
        """The recipe as schema.org Recipe JSON-LD (what its page embeds); POST it to
        /recipes/import/ as `paste` to import it again."""
        recipe = self.get_object()
        url = request.build_absolute_uri(recipe.get_absolute_url())
        return Response(recipe_jsonld(recipe, url=url))

    def _picture(self, request) -> dict:
        """The service's `file` or `photo_id`; nothing for DELETE (removes the picture)."""
        if request.method == "DELETE":
            return {}
        upload = PictureUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        return {"photo_id": data["photo"]} if "photo" in data else {"file": data["image"]}

    @_set_or_clear_action(
        request=PICTURE_UPLOAD, response=RecipeSerializer, parser_classes=[MultiPartParser]
    )
    def image(self, request, *args, **kwargs) -> Response:
        """Upload the cover picture (JPEG, PNG, GIF or WebP; metadata is stripped), or use
        one of your photos (`photo`: its id), or DELETE it."""
        recipe = self.get_object()
        services.recipe_image_set(recipe=recipe, by=request.user, **self._picture(request))
        return Response(self.get_serializer(recipe).data)

    @_set_or_clear_action(
        request=PICTURE_UPLOAD,
        response=StepSerializer,
        parser_classes=[MultiPartParser],
        url_path=r"steps/(?P<number>\d+)/image",
    )
    def step_image(self, request, number=None, *args, **kwargs) -> Response:
        """Upload a picture for step `number` (1 for the first), or use one of your photos
        (`photo`: its id), or DELETE it."""
        recipe = self.get_object()
        step = next((s for s in recipe.steps.all() if s.number == int(number)), None)
        if step is None:
            raise NotFound("No such step.")
        services.step_image_set(step=step, by=request.user, **self._picture(request))
        return Response(StepSerializer(step, context={"request": request}).data)

    def _reactions(self, recipe, status_code=status.HTTP_200_OK) -> Response:
        data = selectors.recipe_reactions(recipe, self.request.user)
        return Response(ReactionsSerializer(data).data, status=status_code)

    @extend_schema(responses=ReactionsSerializer)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def reactions(self, request, *args, **kwargs) -> Response:
        """Average stars and, signed in, your stars, favourite and cooking log."""
        return self._reactions(self.get_object())

    def _react(self, request, *, add, remove) -> Response:
        """POST calls `add(recipe)`, DELETE the `remove` service; both answer the reactions."""
        recipe = self.get_object()
        if request.method == "DELETE":
            remove(user=request.user, recipe=recipe)
        else:
            add(recipe)
        return self._reactions(recipe)

    @_set_or_clear_action(
        request=RatingInputSerializer, response=ReactionsSerializer, permission_classes=SIGNED_IN
    )
    def rating(self, request, *args, **kwargs) -> Response:
        """Rate another user's recipe 1-5 stars (POST again to change), or DELETE yours."""

        def rate(recipe) -> None:
            data = RatingInputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            services.rating_set(user=request.user, recipe=recipe, **data.validated_data)

        return self._react(request, add=rate, remove=services.rating_delete)

    @_set_or_clear_action(request=None, response=ReactionsSerializer, permission_classes=SIGNED_IN)
    def favourite(self, request, *args, **kwargs) -> Response:
        """Mark as a favourite (POST) or unmark (DELETE)."""
        return self._react(
            request,
            add=lambda recipe: services.favourite_add(user=request.user, recipe=recipe),
            remove=services.favourite_remove,
        )

    @extend_schema(request=CookedSerializer, responses={201: CookedSerializer})
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[permissions.IsAuthenticated],
        filter_backends=[],
        pagination_class=None,
    )
    def cooked(self, request, *args, **kwargs) -> Response:
        """ "I cooked this", on a day (today by default) with an optional note."""
        recipe = self.get_object()
        data = CookedSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cooked = services.cooked_add(user=request.user, recipe=recipe, **data.validated_data)
        return Response(CookedSerializer(cooked).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=RecipeSerializer(many=True))
    @action(
        detail=False,
        methods=["get"],
        permission_classes=[permissions.IsAuthenticated],
        filter_backends=[],
    )
    def favourites(self, request, *args, **kwargs) -> Response:
        """Your favourite recipes, most recently marked first."""
        recipes = selectors.favourite_recipes(request.user).prefetch_related(
            "crossposts", "ingredient_rows", "steps", "shared_with"
        )
        page = self.paginate_queryset(recipes)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(parameters=[ScaleQuerySerializer], responses=ScaledRecipeSerializer)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def scaled(self, request, *args, **kwargs) -> Response:
        """The ingredients for `servings`, converted to metric or US units."""
        query = ScaleQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        recipe = self.get_object()
        servings = query.validated_data.get("servings") or recipe.servings
        system = query.validated_data.get("units")
        ingredients = selectors.recipe_scaled_ingredients(recipe, servings=servings, system=system)
        data = {"servings": servings, "units": system, "ingredients": ingredients}
        return Response(ScaledRecipeSerializer(data).data)


class ShoppingListViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your shopping lists: the same food in convertible units is summed into one line."""

    serializer_class = ShoppingListSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends = []

    def get_queryset(self):
        return selectors.shopping_lists(self.request.user)

    def _picks(self, picks: list[dict]) -> list:
        try:
            return [
                (selectors.recipe_get(pick["recipe"], viewer=self.request.user), pick["servings"])
                for pick in picks
            ]
        except Http404:
            raise ValidationError({"recipe": ["No such recipe."]}) from None

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.shopping_list_create(
            user=self.request.user,
            name=data.get("name", ""),
            recipes=self._picks(data.get("recipes", [])),
        )

    def perform_destroy(self, instance):
        services.shopping_list_delete(shopping_list=instance, by=self.request.user)

    def _fresh(self, pk) -> Response:
        shopping_list = selectors.shopping_list_get(pk, self.request.user)
        return Response(ShoppingListSerializer(shopping_list).data)

    @extend_schema(request=ShoppingPickSerializer, responses=ShoppingListSerializer)
    @action(detail=True, methods=["post"], url_path="recipes")
    def add_recipe(self, request, *args, **kwargs) -> Response:
        """Pick a recipe for a number of servings (again: new servings replace the old)."""
        shopping_list = self.get_object()
        pick = ShoppingPickSerializer(data=request.data)
        pick.is_valid(raise_exception=True)
        ((recipe, servings),) = self._picks([pick.validated_data])
        services.shopping_list_add_recipe(
            shopping_list=shopping_list, by=request.user, recipe=recipe, servings=servings
        )
        return self._fresh(shopping_list.pk)

    @extend_schema(request=None, responses={200: ShoppingListSerializer})
    @action(detail=True, methods=["delete"], url_path=r"recipes/(?P<recipe_id>\d+)")
    def remove_recipe(self, request, recipe_id=None, *args, **kwargs) -> Response:
        shopping_list = self.get_object()
        services.shopping_list_remove_recipe(
            shopping_list=shopping_list, by=request.user, recipe_id=int(recipe_id)
        )
        return self._fresh(shopping_list.pk)

    @extend_schema(request=ShoppingItemCheckSerializer, responses=ShoppingItemSerializer)
    @action(detail=True, methods=["patch"], url_path=r"items/(?P<item_id>\d+)")
    def check_item(self, request, item_id=None, *args, **kwargs) -> Response:
        """Tick an item off (or untick it)."""
        shopping_list = self.get_object()
        item = selectors.shopping_item_get(int(item_id), request.user)
        if item.shopping_list_id != shopping_list.pk:
            raise NotFound("No such item.")
        data = ShoppingItemCheckSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.shopping_item_check(item=item, by=request.user, **data.validated_data)
        return Response(ShoppingItemSerializer(item).data)


class TagListApi(generics.ListAPIView):
    """Tags in use, by name, with their recipe counts."""

    serializer_class = TagSerializer
    permission_classes = [permissions.AllowAny]
    filter_backends = []

    def get_queryset(self):
        return selectors.tag_list()


class RecipeImportApi(APIView):
    """Import a recipe from a page's schema.org data: `url` (fetched; private, loopback and
    link-local addresses are refused, redirects included) or pasted `paste` (HTML/JSON-LD)."""

    permission_classes = [permissions.IsAuthenticated]
    throttle_scope = "recipe-import"  # each import may fetch a page: one allowance per user

    def get_throttles(self):
        return [*super().get_throttles(), ScopedRateThrottle()]

    @extend_schema(request=RecipeImportInputSerializer, responses={201: RecipeSerializer})
    def post(self, request, *args, **kwargs) -> Response:
        data = RecipeImportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        recipe = services.recipe_import(user=request.user, **data.validated_data)
        recipe = selectors.recipe_get(recipe.pk, viewer=request.user)
        serializer = RecipeSerializer(recipe, context={"request": request})
        return Response(serializer.data, status=status.HTTP_201_CREATED)


class FriendsApi(APIView):
    """Site users you follow on X (`?provider=twitter`) or your Facebook friends here."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("provider", str, enum=["twitter", "facebook"]),
            OpenApiParameter("refresh", bool, description="Bypass the short cache."),
        ],
        responses=FriendSerializer(many=True),
    )
    def get(self, request, *args, **kwargs) -> Response:
        provider = request.query_params.get("provider", "twitter")
        if provider not in selectors.PROVIDER_IDS:
            raise ValidationError({"provider": ["Use twitter or facebook."]})
        try:
            friends = services.common_friends(
                request.user, provider, refresh=request.query_params.get("refresh") in ("1", "true")
            )
        except services.NotConnected as error:
            raise PermissionDenied(str(error)) from None
        except RemoteError as error:
            if error.status == 429:
                raise Throttled(wait=error.retry_after) from None
            return Response(
                {"detail": f"Could not reach the network: {error}"},
                status=status.HTTP_502_BAD_GATEWAY,
            )
        described = selectors.friends_described(request.user, provider, friends)
        return Response(FriendSerializer(described, many=True).data)
