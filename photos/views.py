from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.views.generic import DeleteView
from django.views.generic.edit import FormMixin
from django.views.generic.list import ListView

from photos import selectors, services
from photos.forms import PhotoUploadForm
from project.paginators import BoundedCountPaginator


class PhotoGridView(LoginRequiredMixin, FormMixin, ListView):
    """The signed-in user's photos with an upload form on top."""

    template_name = "photos/grid.html"
    context_object_name = "photos"
    paginate_by = 24
    paginator_class = BoundedCountPaginator
    form_class = PhotoUploadForm
    success_url = reverse_lazy("photos:grid")

    def get_queryset(self):
        return selectors.photo_list_for_user(self.request.user)

    def post(self, request, *args, **kwargs) -> HttpResponse:
        form = self.get_form()
        if form.is_valid():
            try:
                services.photo_upload(
                    user=request.user,
                    file=form.cleaned_data["photo"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                form.add_error("photo", error)
            else:
                messages.success(request, "Photo uploaded.")
                return redirect(self.success_url)
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form), status=400)


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
