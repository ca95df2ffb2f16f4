"""Albums: ordered, at most 20 photos, web, API and admin."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from accounts.tests.factories import UserFactory
from photos import albums
from photos.models import Album, Photo
from photos.services import photo_process, photo_upload
from photos.tests.images import image_bytes, upload

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

ALBUMS = "/api/v1/albums/"


def ready(user, comment="") -> Photo:
    photo = photo_upload(user=user, file=upload(image_bytes()), comment=comment)
    photo_process(photo_id=photo.pk)
    photo.refresh_from_db()
    return photo


def ids(album: Album) -> list[int]:
    return list(album.photos.order_by("album_position").values_list("pk", flat=True))


class TestServices:
    def test_add_keeps_order_and_moves_between_albums(self, user):
        first, second = (
            albums.album_create(user=user, title="A"),
            albums.album_create(user=user, title="B"),
        )
        a, b = ready(user), ready(user)
        albums.album_add_photo(album=first, photo=a, by=user)
        albums.album_add_photo(album=first, photo=b, by=user)
        assert ids(first) == [a.pk, b.pk]
        albums.album_add_photo(album=second, photo=a, by=user)
        assert (ids(first), ids(second)) == ([b.pk], [a.pk])

    def test_at_most_twenty(self, user, settings):
        album = albums.album_create(user=user, title="Full")
        for _ in range(settings.PHOTOS_ALBUM_MAX_PHOTOS):
            albums.album_add_photo(album=album, photo=ready(user), by=user)
        with pytest.raises(albums.ValidationError, match="at most 20 photos"):
            albums.album_add_photo(album=album, photo=ready(user), by=user)

    def test_only_own_album_and_own_photos(self, user, other_user):
        album = albums.album_create(user=user, title="Mine")
        with pytest.raises(albums.PermissionDenied):
            albums.album_add_photo(album=album, photo=ready(other_user), by=user)
        with pytest.raises(albums.PermissionDenied):
            albums.album_add_photo(album=album, photo=ready(other_user), by=other_user)

    def test_reorder_needs_every_photo_once(self, user):
        album = albums.album_create(user=user, title="Order")
        a, b, c = (albums.album_add_photo(album=album, photo=ready(user), by=user) for _ in "abc")
        albums.album_reorder(album=album, photo_ids=[c.pk, a.pk, b.pk], by=user)
        assert ids(album) == [c.pk, a.pk, b.pk]
        for bad in ([a.pk, b.pk], [a.pk, a.pk, b.pk], [a.pk, b.pk, c.pk, 999]):
            with pytest.raises(albums.ValidationError, match="exactly once"):
                albums.album_reorder(album=album, photo_ids=bad, by=user)

    def test_deleting_the_album_keeps_its_photos(self, user):
        album = albums.album_create(user=user, title="Gone")
        photo = albums.album_add_photo(album=album, photo=ready(user), by=user)
        albums.album_delete(album=album, by=user)
        photo.refresh_from_db()
        assert photo.album is None


class TestApi:
    def test_create_add_reorder_remove(self, auth_api_client, user):
        created = auth_api_client.post(ALBUMS, {"title": "Trip"}, format="json")
        assert created.status_code == 201
        url = created["Location"]
        a, b = ready(user, "a"), ready(user, "b")
        for photo in (a, b):
            response = auth_api_client.post(f"{url}photos/", {"photo": photo.pk}, format="json")
            assert response.status_code == 200
        assert [p["id"] for p in response.json()["photos"]] == [a.pk, b.pk]
        response = auth_api_client.put(f"{url}order/", {"photos": [b.pk, a.pk]}, format="json")
        assert [p["id"] for p in response.json()["photos"]] == [b.pk, a.pk]
        bad = auth_api_client.put(f"{url}order/", {"photos": [b.pk]}, format="json")
        assert bad.status_code == 400
        assert auth_api_client.delete(f"{url}photos/{b.pk}/").status_code == 204
        body = auth_api_client.get(url).json()
        assert [p["id"] for p in body["photos"]] == [a.pk]
        assert body["photos"][0]["album"] == body["id"]
        assert auth_api_client.get(ALBUMS).json()["results"][0]["photo_count"] == 1

    def test_others_read_ready_photos_only_and_cannot_change(self, api_client, user):
        album = albums.album_create(user=user, title="Shared")
        shown = albums.album_add_photo(album=album, photo=ready(user), by=user)
        pending = photo_upload(user=user, file=upload(image_bytes()))
        albums.album_add_photo(album=album, photo=pending, by=user)
        api_client.force_authenticate(UserFactory())
        url = f"{ALBUMS}{album.pk}/"
        assert [p["id"] for p in api_client.get(url).json()["photos"]] == [shown.pk]
        assert api_client.patch(url, {"title": "x"}, format="json").status_code == 403
        assert api_client.delete(url).status_code == 403
        assert api_client.post(f"{url}photos/", {"photo": shown.pk}).status_code == 404
        assert api_client.get(ALBUMS).json()["results"] == []

    def test_album_full_is_400_and_unknown_field_refused(self, auth_api_client, user, settings):
        settings.PHOTOS_ALBUM_MAX_PHOTOS = 1
        album = albums.album_create(user=user, title="One")
        albums.album_add_photo(album=album, photo=ready(user), by=user)
        url = f"{ALBUMS}{album.pk}/photos/"
        response = auth_api_client.post(url, {"photo": ready(user).pk}, format="json")
        assert response.status_code == 400
        assert "at most 1 photos" in str(response.json())
        response = auth_api_client.post(ALBUMS, {"title": "x", "user": 1}, format="json")
        assert response.json() == {"user": ["Unknown field."]}

    def test_put_on_the_album_is_405(self, auth_api_client, user):
        album = albums.album_create(user=user, title="One")
        response = auth_api_client.put(f"{ALBUMS}{album.pk}/", {"title": "x"}, format="json")
        assert response.status_code == 405


class TestWeb:
    def test_create_add_move_remove_and_delete(self, client, user):
        client.force_login(user)
        response = client.post(reverse("photos:album-list"), {"title": "Summer"})
        album = Album.objects.get()
        assert response["Location"] == album.get_absolute_url()
        a, b = ready(user, "first"), ready(user, "second")
        for photo in (a, b):
            client.post(album.get_absolute_url(), {"action": "add", "photo": photo.pk})
        assert ids(album) == [a.pk, b.pk]
        client.post(album.get_absolute_url(), {"action": "up", "photo": b.pk})
        assert ids(album) == [b.pk, a.pk]
        client.post(album.get_absolute_url(), {"action": "remove", "photo": b.pk})
        assert ids(album) == [a.pk]
        page = client.get(album.get_absolute_url())
        assertContains(page, "<h1>Summer</h1>", html=True)
        assertContains(page, "Move", count=0)  # one photo: nothing to move
        assertContains(client.get(a.get_absolute_url()), 'data-testid="album-link"')
        client.post(album.get_absolute_url(), {"action": "delete"})
        assert not Album.objects.exists()

    def test_visitors_see_the_album_without_controls(self, client, user, other_user):
        album = albums.album_create(user=user, title="Public")
        albums.album_add_photo(album=album, photo=ready(user, "shown"), by=user)
        client.force_login(other_user)
        page = client.get(album.get_absolute_url())
        assertContains(page, "shown")
        assertNotContains(page, "Remove")
        assert client.post(album.get_absolute_url(), {"action": "delete"}).status_code == 404
        assert Album.objects.exists()

    def test_bad_photo_ids_are_404_not_500(self, client, user):
        album = albums.album_create(user=user, title="X")
        client.force_login(user)
        for value in ("", "abc", "9" * 30, "999999"):
            response = client.post(album.get_absolute_url(), {"action": "up", "photo": value})
            assert response.status_code == 404


class TestAdmin:
    def test_album_and_photo_pages(self, client, user):
        admin = UserFactory(is_staff=True, is_superuser=True)
        album = albums.album_create(user=user, title="Admin view")
        photo = albums.album_add_photo(album=album, photo=ready(user, "in it"), by=user)
        client.force_login(admin)
        assertContains(client.get(reverse("admin:photos_album_change", args=[album.pk])), "in it")
        page = client.get(reverse("admin:photos_photo_change", args=[photo.pk]))
        assertContains(page, "Canon", count=0)
        assertContains(page, photo.blurhash)
        assert client.get(reverse("admin:photos_photo_changelist")).status_code == 200

    def test_admin_cannot_overfill_an_album(self, client, user, settings):
        settings.PHOTOS_ALBUM_MAX_PHOTOS = 1
        admin = UserFactory(is_staff=True, is_superuser=True)
        album = albums.album_create(user=user, title="Full")
        albums.album_add_photo(album=album, photo=ready(user), by=user)
        other = ready(user)
        client.force_login(admin)
        response = client.post(
            reverse("admin:photos_photo_change", args=[other.pk]),
            {"user": user.pk, "album": album.pk, "comment": "", "alt_text": "", "created_on_0":
             "2026-01-01", "created_on_1": "00:00:00"},
        )  # fmt: skip
        assertContains(response, "An album holds at most 1 photos.")
        other.refresh_from_db()
        assert other.album is None
