import logging

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.views import View
from django.views.generic import DeleteView, DetailView, FormView, ListView

from project.paginators import BoundedCountPaginator
from snaps import selectors, services
from snaps.forms import SnapForm
from snaps.highlighting import highlight_code, language_name
from snaps.languages import language_choices

logger = logging.getLogger(__name__)


class SnapListView(ListView):
    template_name = "snaps/snap_list.html"
    context_object_name = "snaps"
    paginate_by = 20
    paginator_class = BoundedCountPaginator

    def get_queryset(self):
        return selectors.snap_list_public()


class SnapUserListView(ListView):
    template_name = "snaps/snap_user_list.html"
    context_object_name = "snaps"
    paginate_by = 20
    paginator_class = BoundedCountPaginator

    def get_queryset(self):
        self.owner = get_object_or_404(get_user_model(), username=self.kwargs["username"])
        return selectors.snap_list_for_user(self.owner, self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["owner"] = self.owner
        context["is_own_page"] = self.request.user.pk == self.owner.pk
        context["languages"] = selectors.snap_stats_by_extension(self.object_list)
        return context


class SnapCreateView(LoginRequiredMixin, FormView):
    template_name = "snaps/snap_form.html"
    form_class = SnapForm

    def get_initial(self):
        # The author's last language, preselected.
        return {"language": selectors.snap_last_language(self.request.user)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(language_choices=language_choices(), **kwargs)

    def form_valid(self, form: SnapForm) -> HttpResponse:
        data = {k: v for k, v in form.cleaned_data.items() if k != "expires_in"}
        try:
            snap = services.snap_create(user=self.request.user, **form.expiry_options, **data)
        except DatabaseError:
            logger.exception("Saving a snap failed")
            messages.error(self.request, "Something went wrong while posting your snap!")
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(self.request, "Snap created. Share it with the link below.")
        return redirect(snap)


class SnapDetailView(DetailView):
    template_name = "snaps/snap_detail.html"
    context_object_name = "snap"

    def get_object(self, queryset=None):
        snap = selectors.snap_get_visible(
            hash_key=self.kwargs["hash_key"], viewer=self.request.user
        )
        return services.snap_open(snap=snap, viewer=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        snap = self.object
        highlighted = highlight_code(
            snap.content, snap.extension, language=snap.language, line_numbers=True
        )
        context["highlighted"] = highlighted.html
        context["plain_reason"] = highlighted.plain_reason
        context["language"] = language_name(snap.extension, snap.language)
        context["share_url"] = self.request.build_absolute_uri(snap.get_absolute_url())
        context["is_owner"] = services.is_author(snap, self.request.user)
        # A one-time snap just deleted by this view: its raw URL is gone too.
        context["burnt"] = snap.burn_after_reading and not context["is_owner"]
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if self.object.burn_after_reading:  # shown once: no copy anywhere
            response.page_cache_timeout = 0
            add_never_cache_headers(response)
        elif self.object.expires_at is not None:  # never serve a cached copy past expiry
            remaining = (self.object.expires_at - timezone.now()).total_seconds()
            response.page_cache_timeout = max(0, int(remaining))
        return response


class SnapRawView(View):
    def get(self, request: HttpRequest, hash_key: str) -> HttpResponse:
        snap = selectors.snap_get_visible(hash_key=hash_key, viewer=request.user)
        snap = services.snap_open(snap=snap, viewer=request.user)
        response = HttpResponse(snap.content, content_type="text/plain; charset=utf-8")
        as_attachment = request.GET.get("download") == "1"
        response["Content-Disposition"] = content_disposition_header(as_attachment, snap.filename)
        response["X-Content-Type-Options"] = "nosniff"
        if snap.burn_after_reading:
            add_never_cache_headers(response)
        return response


class SnapDeleteView(LoginRequiredMixin, DeleteView):
    template_name = "snaps/snap_confirm_delete.html"
    context_object_name = "snap"
    success_url = reverse_lazy("snaps:list")

    def get_object(self, queryset=None):
        return selectors.snap_get_owned(hash_key=self.kwargs["hash_key"], owner=self.request.user)

    def form_valid(self, form) -> HttpResponse:
        services.snap_delete(snap=self.object, by=self.request.user)
        messages.success(self.request, f"Snap “{self.object.name}” deleted.")
        return redirect(self.success_url)
