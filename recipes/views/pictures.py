"""The cover and step pictures page."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from photos.selectors import photo_list_public
from recipes import selectors, services

# The picker lists this many of your newest photos.
PHOTO_CHOICES = 50


def _picture_choice(request, *, remove: str, upload: str, photo: str) -> dict | None:
    """What the form asks for one picture: the service's arguments (an empty dict
    removes it), or None to leave it as it is."""
    if request.POST.get(remove):
        return {}
    if upload in request.FILES:
        return {"file": request.FILES[upload]}
    if chosen := request.POST.get(photo, "").strip():
        if not chosen.isdigit():
            raise ValidationError("Choose one of your photos.")
        return {"photo_id": int(chosen)}
    return None


class RecipePicturesView(LoginRequiredMixin, View):
    """The cover and the steps' pictures: uploads, or your own photos."""

    def _render(self, recipe, errors=(), status=200) -> HttpResponse:
        photos = photo_list_public(user=self.request.user)[:PHOTO_CHOICES]
        context = {"recipe": recipe, "errors": errors, "photos": photos}
        return render(self.request, "recipes/recipe_pictures.html", context, status=status)

    def get(self, request, pk):
        return self._render(selectors.recipe_get_owned(pk, request.user))

    def post(self, request, pk):
        recipe = selectors.recipe_get_owned(pk, request.user)
        errors = []
        try:
            cover = _picture_choice(
                request, remove="remove_cover", upload="cover", photo="cover_photo"
            )
            if cover is not None:
                services.recipe_image_set(recipe=recipe, by=request.user, **cover)
            for step in recipe.steps.all():
                picture = _picture_choice(
                    request,
                    remove=f"remove-step-{step.pk}",
                    upload=f"step-{step.pk}",
                    photo=f"step-photo-{step.pk}",
                )
                if picture is not None:
                    services.step_image_set(step=step, by=request.user, **picture)
        except ValidationError as error:
            errors = error.messages
        if errors:
            return self._render(recipe, errors, status=400)
        messages.success(request, "Pictures saved.")
        return redirect(recipe)
