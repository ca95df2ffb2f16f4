"""Timelines: the reader's feed (and its live stream), a tag's posts, the public timeline."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.views import View
from django.views.generic import ListView, TemplateView

from project import livestream
from project.paginators import BoundedCountPaginator
from social import selectors
from social.feeds import Cursor
from social.forms import PostForm
from social.views.posts import attachable_photos

logger = logging.getLogger(__name__)


def _stream_kind(request: HttpRequest) -> str | None:
    return selectors.stream_kind(request.GET.get("kind", ""))


class FeedView(LoginRequiredMixin, TemplateView):
    """The timeline: posts, boosts and the activities of the people followed, newest
    first; ?kind= keeps one kind."""

    template_name = "social/feed.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        before = None
        if token := self.request.GET.get("before"):
            try:
                before = Cursor.decode(token)
            except ValidationError:
                messages.warning(
                    self.request, "That page link was invalid; showing the newest posts."
                )
        kind = _stream_kind(self.request)
        posts, next_cursor = selectors.feed_page(self.request.user, before=before, kind=kind)
        context.update(
            kind=kind,
            kinds=selectors.STREAM_KINDS,
            posts=posts,
            next_cursor=next_cursor.encode() if next_cursor else None,
            is_first_page=before is None,
            **self.live_context(posts, first_page=before is None),
            form=kwargs.get("form") or PostForm(attachable=attachable_photos(self.request.user)),
        )
        return context

    def live_context(self, posts: list, *, first_page: bool) -> dict:
        """How the first page learns of new posts: the event stream from what is newest
        now, or without Redis, polling the feed API for posts newer than the newest shown."""
        if not first_page:
            return {}
        if livestream.is_available():
            after = livestream.last_event_id(self.request.user.pk)
            return {"live_stream_url": f"{reverse('social:stream')}?after={after}"}
        poll = reverse("api:feed", kwargs={"version": "v1"})
        return {
            "live_poll_url": f"{poll}?since_id={posts[0].pk}" if posts else poll,
            "live_poll_seconds": settings.SOCIAL_LIVE_POLL_SECONDS,
        }


class TimelineStreamView(View):
    """GET: Server-Sent Events for the signed-in reader's open timeline: `post` when a
    post reaches their feed, `notification` when one arrives. Resumes after
    `Last-Event-ID` (or the page's `?after=`); ends after SOCIAL_STREAM_MAX_SECONDS, and
    EventSource reconnects. 204 without Redis (the page polls instead)."""

    http_method_names = ["get"]

    def get(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            return HttpResponse(
                "Sign in to follow your timeline live.", status=401, content_type="text/plain"
            )
        if not livestream.is_available():
            return HttpResponse(status=204)  # EventSource stops reconnecting on a 204
        after = livestream.valid_event_id(
            request.headers.get("Last-Event-ID")
        ) or livestream.valid_event_id(request.GET.get("after"))
        reader_id, hidden = request.user.pk, selectors.hidden_author_ids(request.user)

        def keep(event: str, data: dict) -> bool:
            # Mutes and blocks as at connect time; a connection lives a minute or so.
            return event != "post" or data.get("author_id") not in hidden | {reader_id}

        events = livestream.event_stream(
            reader_id,
            after=after,
            max_seconds=settings.SOCIAL_STREAM_MAX_SECONDS,
            heartbeat_seconds=settings.SOCIAL_STREAM_HEARTBEAT_SECONDS,
            keep=keep,
        )
        response = StreamingHttpResponse(
            livestream.without_database(events), content_type="text/event-stream"
        )
        response["Cache-Control"] = "no-cache"
        response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
        return response


class TagView(ListView):
    """Posts with one #tag, newest first."""

    template_name = "social/tag.html"
    context_object_name = "posts"
    paginate_by = 20
    paginator_class = BoundedCountPaginator

    def get_queryset(self):
        return selectors.post_list_tagged(self.kwargs["tag"], self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.kwargs["tag"], **kwargs)


class PublicTimelineView(ListView):
    """All public posts, newest first; open to visitors."""

    template_name = "social/public.html"
    context_object_name = "posts"
    paginate_by = 20
    paginator_class = BoundedCountPaginator

    def get_queryset(self):
        return selectors.post_list_public(self.request.user)
