"""One post: write, read, edit, delete, like and boost it."""

import logging

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.views import View
from django.views.generic import DeleteView, DetailView, FormView

from photos import selectors as photo_selectors
from photos import services as photo_services
from social import selectors, services
from social.forms import PostForm
from social.views.common import safe_next

logger = logging.getLogger(__name__)


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
        return safe_next(request, post.get_absolute_url())


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
        return safe_next(request, post.get_absolute_url())
