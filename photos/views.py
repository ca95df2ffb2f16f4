from functools import cached_property

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.html import format_html
from django.views import View
from django.views.generic import DeleteView, DetailView
from django.views.generic.edit import FormMixin
from django.views.generic.list import ListView

from accounts.selectors import user_get_by_username
from photos import albums as album_services
from photos import selectors, services
from photos.api import original_response
from photos.direct_uploads import direct_upload_available
from photos.forms import AlbumAddPhotoForm, AlbumForm, PhotoUploadForm
from project.paginators import KeysetPaginationMixin


class PhotoGridView(LoginRequiredMixin, KeysetPaginationMixin, FormMixin, ListView):
    """The signed-in user's photos with an upload form on top and the storage used."""

    template_name = "photos/grid.html"
    context_object_name = "photos"
    paginate_by = 24
    form_class = PhotoUploadForm
    success_url = reverse_lazy("photos:grid")

    def get_queryset(self):
        return selectors.photo_list_for_user(self.request.user)

    def get_context_data(self, **kwargs):
        quota = settings.PHOTOS_QUOTA_BYTES
        used = services.storage_used(self.request.user)
        return super().get_context_data(
            used=used,
            quota=quota,
            used_percent=min(100, round(100 * used / quota)),
            direct_upload=direct_upload_available(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs) -> HttpResponse:
        form = self.get_form()
        status = 400
        if form.is_valid():
            try:
                photo = services.photo_upload(
                    user=request.user,
                    file=form.cleaned_data["photo"],
                    comment=form.cleaned_data["comment"],
                    alt_text=form.cleaned_data["alt_text"],
                )
            except services.DuplicatePhoto as duplicate:
                status = 409
                form.add_error(
                    "photo",
                    format_html(
                        '{} <a href="{}">See it here</a>.',
                        duplicate.messages[0],
                        duplicate.existing.get_absolute_url(),
                    ),
                )
            except ValidationError as error:
                form.add_error("photo", error)
            else:
                photo.refresh_from_db(fields=["status"])
                messages.success(
                    request,
                    "Photo uploaded."
                    if photo.is_ready
                    else "Photo uploaded: it is being processed and appears in a moment.",
                )
                return redirect(self.success_url)
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form), status=status)


class PhotoDetailView(DetailView):
    """A photo's page: the display size, caption, alt text, camera facts and author."""

    template_name = "photos/detail.html"
    context_object_name = "photo"

    def get_object(self, queryset=None):
        return selectors.photo_get_visible(self.kwargs["pk"], self.request.user)


class PhotoOriginalView(LoginRequiredMixin, View):
    """The original as uploaded, for its owner only (everyone else: 404)."""

    def get(self, request, pk: int) -> HttpResponse:
        return original_response(selectors.photo_get_owned(pk, request.user))


class PhotoStreamView(KeysetPaginationMixin, ListView):
    """Everyone's photos, newest first, paged by cursor (no count, no offset)."""

    template_name = "photos/stream.html"
    context_object_name = "photos"
    paginate_by = 24
    extra_context = {"heading": "Everyone's photos", "stream": "public"}

    def get_queryset(self):
        return selectors.photo_list_public()


class PhotoFollowingStreamView(LoginRequiredMixin, PhotoStreamView):
    """Photos of the people you follow, newest first."""

    extra_context = {"heading": "Photos from people you follow", "stream": "following"}

    def get_queryset(self):
        return selectors.photo_list_following(self.request.user)


class PhotoUserStreamView(LoginRequiredMixin, PhotoStreamView):
    """One user's processed photos, newest first (signed-in members, as on the profile)."""

    extra_context = None  # the heading names the user

    def get_queryset(self):
        return selectors.photo_list_public(user=self.person)

    @cached_property
    def person(self):
        return user_get_by_username(self.kwargs["username"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=f"Photos by {self.person.username}", stream="user", person=self.person, **kwargs
        )


class PhotoDeleteView(LoginRequiredMixin, DeleteView):
    template_name = "photos/confirm_delete.html"
    context_object_name = "photo"
    success_url = reverse_lazy("photos:grid")

    def get_object(self, queryset=None):
        return selectors.photo_get_owned(self.kwargs["pk"], self.request.user)

    def form_valid(self, form) -> HttpResponse:
        services.photo_delete(photo=self.object, by=self.request.user)
        messages.success(self.request, "Photo deleted.")
        return redirect(self.success_url)


class AlbumListView(LoginRequiredMixin, ListView):
    """Your albums, with a form to start one."""

    template_name = "photos/album_list.html"
    context_object_name = "albums"
    paginate_by = 24

    def get_queryset(self):
        return selectors.album_list_for_user(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(form=kwargs.pop("form", None) or AlbumForm(), **kwargs)

    def post(self, request, *args, **kwargs) -> HttpResponse:
        form = AlbumForm(request.POST)
        if form.is_valid():
            try:
                album = album_services.album_create(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Album created.")
                return redirect(album)
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form), status=400)


ALBUM_ACTIONS = {"up", "down", "remove"}


class AlbumDetailView(DetailView):
    """An album's photos in order; its owner adds, moves and removes them here."""

    template_name = "photos/album_detail.html"
    context_object_name = "album"

    def get_object(self, queryset=None):
        return selectors.album_get(self.kwargs["pk"])

    def add_form(self, data=None):
        # The newest 100 of the owner's photos not in this album (a slice cannot be
        # validated against, so it goes in as a subquery).
        mine = selectors.photo_list_for_user(self.request.user).exclude(album=self.object)
        choices = mine.filter(pk__in=mine.values("pk")[:100])
        return AlbumAddPhotoForm(data, choices=choices)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["photos"] = selectors.album_photos(self.object, self.request.user)
        context["max_photos"] = settings.PHOTOS_ALBUM_MAX_PHOTOS
        if self.object.user_id == self.request.user.pk:
            context.setdefault("add_form", self.add_form())
        return context

    def post(self, request, *args, **kwargs) -> HttpResponse:
        self.object = album = self.get_object()
        if album.user_id != request.user.pk:
            raise Http404("No such album.")
        action = request.POST.get("action", "add")
        try:
            if action == "delete":
                album_services.album_delete(album=album, by=request.user)
                messages.success(request, "Album deleted; its photos are still in My photos.")
                return redirect("photos:album-list")
            if action in ALBUM_ACTIONS:
                photo_id = _photo_id(request.POST.get("photo"))
                photo = selectors.photo_get_owned(photo_id, request.user)
                if action == "remove":
                    album_services.album_remove_photo(album=album, photo=photo, by=request.user)
                else:
                    step = -1 if action == "up" else 1
                    album_services.album_move_photo(
                        album=album, photo=photo, by=request.user, step=step
                    )
                return redirect(album)
            form = self.add_form(request.POST)
            if form.is_valid():
                album_services.album_add_photo(
                    album=album, photo=form.cleaned_data["photo"], by=request.user
                )
                messages.success(request, "Photo added.")
                return redirect(album)
        except ValidationError as error:
            form = self.add_form()
            form.add_error(None, error)
        return self.render_to_response(self.get_context_data(add_form=form), status=400)


def _photo_id(raw: str | None) -> int:
    if not raw or not raw.isdigit() or len(raw) > 18:
        raise Http404("No such photo.")
    return int(raw)
