"""The reader's notifications and marking them read."""

import logging

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views import View
from django.views.generic import ListView

from project.paginators import BoundedCountPaginator
from social import selectors, services
from social.views.common import safe_next

logger = logging.getLogger(__name__)


class NotificationListView(LoginRequiredMixin, ListView):
    template_name = "social/notifications.html"
    context_object_name = "notifications"
    paginate_by = 20
    paginator_class = BoundedCountPaginator

    def get_queryset(self):
        return selectors.notification_list(self.request.user)


class NotificationReadView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        notification = selectors.notification_get(pk, request.user)
        services.notification_mark_read(notification=notification, by=request.user)
        return safe_next(request, reverse("social:notifications"))


class NotificationReadAllView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        marked = services.notification_mark_all_read(user=request.user)
        messages.success(request, f"Marked {marked} notification{'s' if marked != 1 else ''} read.")
        return safe_next(request, reverse("social:notifications"))
