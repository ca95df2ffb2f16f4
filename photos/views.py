from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.html import format_html
from django.views import View
from django.views.generic import DeleteView, DetailView
from django.views.generic.edit import FormMixin
from django.views.generic.list import ListView

from photos import selectors, services
from photos.api import original_response
from photos.forms import PhotoUploadForm
from project.paginators import BoundedCountPaginator


class PhotoGridView(LoginRequiredMixin, FormMixin, ListView):
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
            used=used, quota=quota, used_percent=min(100, round(100 * used / quota)), **kwargs
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


class PhotoStreamView(ListView):
    """Everyone's photos, newest first."""

    template_name = "photos/stream.html"
    context_object_name = "photos"
    paginate_by = 24
    paginator_class = BoundedCountPaginator
    extra_context = {"heading": "Everyone's photos", "stream": "public"}

    def get_queryset(self):
        return selectors.photo_list_public()


class PhotoFollowingStreamView(LoginRequiredMixin, PhotoStreamView):
    """Photos of the people you follow, newest first."""

    extra_context = {"heading": "Photos from people you follow", "stream": "following"}

    def get_queryset(self):
        return selectors.photo_list_following(self.request.user)


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
