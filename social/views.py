import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import DeleteView, DetailView, FormView, ListView, TemplateView

from accounts.selectors import user_get_by_username
from photos import selectors as photo_selectors
from photos import services as photo_services
from project import livestream
from project.paginators import BoundedCountPaginator
from social import selectors, services
from social.feeds import Cursor
from social.forms import PostForm

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


COMPOSER_PHOTO_CHOICES = 12  # the author's newest processed photos offered in the composer


def attachable_photos(user) -> list:
    return list(photo_selectors.photo_list_attachable(owner=user)[:COMPOSER_PHOTO_CHOICES])


class PostCreateView(LoginRequiredMixin, FormView):
    template_name = "social/post_form.html"
    form_class = PostForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "attachable": attachable_photos(self.request.user)}

    def form_valid(self, form: PostForm) -> HttpResponse:
        uploaded = []
        for file, alt_text in form.uploads():
            # Each upload is the author's photo from now on, also if the post then fails.
            try:
                uploaded.append(
                    photo_services.photo_upload(
                        user=self.request.user, file=file, alt_text=alt_text
                    )
                )
            except photo_services.DuplicatePhoto as duplicate:
                uploaded.append(duplicate.existing)  # the same picture: attach that one
            except ValidationError as error:
                form.add_error(None, [f"{file.name}: {message}" for message in error.messages])
                return self.form_invalid(form)
        try:
            post = services.post_create(
                user=self.request.user,
                content=form.cleaned_data["content"],
                in_reply_to_id=form.cleaned_data.get("in_reply_to"),
                photo_ids=[*form.chosen_ids(), *(photo.pk for photo in uploaded)],
                alt_texts=form.changed_alt_texts(),
                uploaded_photos=[photo for photo in uploaded if not photo.is_ready],
            )
        except ValidationError as error:  # e.g. the post replied to is gone
            form.add_error(None, error.messages)
            return self.form_invalid(form)
        except DatabaseError:
            logger.exception("Saving a post failed")
            messages.error(self.request, "Something went wrong while creating your post!")
            return self.render_to_response(self.get_context_data(form=form))
        if post.in_reply_to_id is not None:
            messages.success(self.request, "Your reply is live.")
            return redirect(
                f"{reverse('social:post-detail', args=[post.in_reply_to_id])}#post-{post.pk}"
            )
        messages.success(self.request, "Your post is live.")
        return redirect("social:feed")


class PostDetailView(DetailView):
    """One post in its thread: what it replies to above, the replies below."""

    template_name = "social/post_detail.html"
    context_object_name = "post"

    def get_object(self, queryset=None):
        return selectors.post_get(self.kwargs["pk"], self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["thread"] = selectors.post_thread(self.object, self.request.user)
        context["history"] = selectors.post_history(self.object)
        context["form"] = PostForm(initial={"in_reply_to": self.object.pk})
        return context


class PostEditView(LoginRequiredMixin, FormView):
    """The author edits the text; the earlier one stays in the post's history."""

    template_name = "social/post_edit.html"
    form_class = PostForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.post_object = selectors.post_get_owned(kwargs["pk"], request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"content": self.post_object.content}

    def get_context_data(self, **kwargs):
        return super().get_context_data(post=self.post_object, **kwargs)

    def form_valid(self, form: PostForm) -> HttpResponse:
        try:
            services.post_update(
                post=self.post_object, by=self.request.user, content=form.cleaned_data["content"]
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.form_invalid(form)
        messages.success(self.request, "Post updated.")
        return redirect(self.post_object.get_absolute_url())


class PostDeleteView(LoginRequiredMixin, DeleteView):
    template_name = "social/post_confirm_delete.html"
    context_object_name = "post"
    success_url = reverse_lazy("social:feed")

    def get_object(self, queryset=None):
        return selectors.post_get_owned(self.kwargs["pk"], self.request.user)

    def form_valid(self, form) -> HttpResponse:
        services.post_delete(post=self.object, by=self.request.user)
        messages.success(self.request, "Post deleted.")
        return redirect(self.success_url)


class PeopleListView(ListView):
    template_name = "social/people.html"
    context_object_name = "people"
    paginate_by = 20
    paginator_class = BoundedCountPaginator

    def get_queryset(self):
        self.query = self.request.GET.get("q", "").strip()[:150]
        return selectors.user_list_people(viewer=self.request.user, query=self.query)

    def get_context_data(self, **kwargs):
        return super().get_context_data(query=self.query, **kwargs)


class RelationListView(ListView):
    """Followers or following of one user."""

    template_name = "social/relations.html"
    context_object_name = "people"
    paginate_by = 20
    paginator_class = BoundedCountPaginator
    relation = "followers"

    def get_queryset(self):
        self.person = user_get_by_username(self.kwargs["username"])
        if self.relation == "followers":
            return selectors.user_list_followers(self.person, self.request.user)
        return selectors.user_list_following(self.person, self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, relation=self.relation, **kwargs)


class _FollowActionView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def redirect_back(self, request: HttpRequest, person) -> HttpResponse:
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = reverse("profile", args=[person.username])
        # A URL, never a view name: redirect("abc") would try reverse() and fail with a 500.
        return HttpResponseRedirect(target)


class FollowView(_FollowActionView):
    def post(self, request: HttpRequest, username: str) -> HttpResponse:
        person = user_get_by_username(username)
        try:
            created = services.follow_create(follower=request.user, followed=person)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            if created:
                messages.success(request, f"You now follow {person.username}.")
            else:
                messages.info(request, f"You already follow {person.username}.")
        return self.redirect_back(request, person)


class UnfollowView(_FollowActionView):
    def post(self, request: HttpRequest, username: str) -> HttpResponse:
        person = user_get_by_username(username)
        if services.follow_delete(follower=request.user, followed=person):
            messages.success(request, f"You no longer follow {person.username}.")
        else:
            messages.info(request, f"You were not following {person.username}.")
        return self.redirect_back(request, person)


def _safe_next(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = fallback
    return HttpResponseRedirect(target)


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
        return _safe_next(request, reverse("social:notifications"))


class NotificationReadAllView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        marked = services.notification_mark_all_read(user=request.user)
        messages.success(request, f"Marked {marked} notification{'s' if marked != 1 else ''} read.")
        return _safe_next(request, reverse("social:notifications"))


class PostLikeView(LoginRequiredMixin, View):
    """POST: like (or with `undo`, unlike) a post, then back to where the button was."""

    http_method_names = ["post"]
    undo = False

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        post = selectors.post_get(pk, request.user)
        if self.undo:
            services.like_delete(user=request.user, post=post)
        else:
            services.like_create(user=request.user, post=post)
        return _safe_next(request, post.get_absolute_url())


class PostBoostView(LoginRequiredMixin, View):
    """POST: boost (or with `undo`, un-boost) a post, then back to where the button was."""

    http_method_names = ["post"]
    undo = False

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        post = selectors.post_get(pk, request.user)
        if self.undo:
            services.boost_delete(user=request.user, post=post)
        else:
            try:
                services.boost_create(user=request.user, post=post)
            except ValidationError as error:
                messages.error(request, error.messages[0])
        return _safe_next(request, post.get_absolute_url())


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


class UserPairView(_FollowActionView):
    """POST: block, unblock, mute or unmute a user, then back to where the button was."""

    action = "block"
    DONE = {
        "block": "You blocked {name}: they can no longer follow you, see or answer your posts.",
        "unblock": "You unblocked {name}.",
        "mute": "You muted {name}: their posts no longer show in your timelines.",
        "unmute": "You unmuted {name}.",
    }

    def post(self, request: HttpRequest, username: str) -> HttpResponse:
        person = user_get_by_username(username)
        service, key = {
            "block": (services.block_create, ("blocker", "blocked")),
            "unblock": (services.block_delete, ("blocker", "blocked")),
            "mute": (services.mute_create, ("muter", "muted")),
            "unmute": (services.mute_delete, ("muter", "muted")),
        }[self.action]
        try:
            service(**{key[0]: request.user, key[1]: person})
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, self.DONE[self.action].format(name=person.username))
        return self.redirect_back(request, person)


class BlockedAndMutedView(LoginRequiredMixin, TemplateView):
    template_name = "social/blocked_muted.html"
    LIMIT = 200

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            blocked=selectors.user_list_blocked(self.request.user)[: self.LIMIT],
            muted=selectors.user_list_muted(self.request.user)[: self.LIMIT],
            **kwargs,
        )


class PublicTimelineView(ListView):
    """All public posts, newest first; open to visitors."""

    template_name = "social/public.html"
    context_object_name = "posts"
    paginate_by = 20
    paginator_class = BoundedCountPaginator

    def get_queryset(self):
        return selectors.post_list_public(self.request.user)
