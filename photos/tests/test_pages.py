"""Photo pages and streams (web and API), duplicates and the storage quota."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts.tests.factories import UserFactory
from photos.models import Photo
from photos.services import photo_process, photo_upload
from photos.tests.images import camera_exif, image_bytes, upload
from social.tests.factories import FollowFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

PHOTOS = "/api/v1/photos/"


def ready_photo(user, **fields) -> Photo:
    photo = photo_upload(user=user, file=upload(image_bytes("JPEG", size=(300, 200))), **fields)
    photo_process(photo_id=photo.pk)
    photo.refresh_from_db()
    return photo


class TestPhotoPage:
    def test_shows_picture_with_srcset_caption_alt_author_and_camera(self, client, user):
        data = image_bytes("JPEG", size=(2400, 1600), exif=camera_exif())
        photo = photo_upload(
            user=user, file=upload(data, "c.jpg"), comment="Harbour", alt_text="Boats at dawn"
        )
        photo_process(photo_id=photo.pk)
        photo.refresh_from_db()
        response = client.get(photo.get_absolute_url())  # anonymous visitors too
        assertContains(response, "<h1>Harbour</h1>", html=True)
        assertContains(response, f'srcset="{photo.image_webp.url} 1620w"')
        assertContains(response, f'srcset="{photo.image.url} 1620w"')
        assertContains(response, 'type="image/webp"')
        assertContains(response, 'alt="Boats at dawn"')
        assertContains(response, user.username)
        assertContains(response, "Canon EOS R6")
        assertContains(response, "f/2.8")
        assertContains(response, "ISO")
        assertNotContains(response, "Download original")

    def test_owner_downloads_the_original(self, client, user):
        data = image_bytes("JPEG", exif=camera_exif())
        photo = photo_upload(user=user, file=upload(data, "c.jpg"))
        client.force_login(user)
        response = client.get(reverse("photos:original", args=[photo.pk]))
        assert b"".join(response.streaming_content) == data

    def test_missing_photo_is_404(self, client):
        assert client.get("/photos/999999/").status_code == 404


class TestStreams:
    def test_everyone_stream_shows_ready_photos_with_blurhash(self, client, user, other_user):
        mine, theirs = ready_photo(user, comment="mine"), ready_photo(other_user, comment="yours")
        photo_upload(user=other_user, file=upload(image_bytes()), comment="not yet")
        response = client.get(reverse("photos:stream"))
        assert list(response.context["photos"]) == [theirs, mine]
        assertContains(response, f'data-blurhash="{mine.blurhash}"')
        assertContains(response, f'srcset="{mine.thumbnail_webp.url} 200w"')  # 300x200 in
        assertNotContains(response, "not yet")

    def test_following_stream(self, client, user, other_user):
        stranger = UserFactory()
        followed = ready_photo(other_user)
        ready_photo(stranger)
        FollowFactory(follower=user, followed=other_user)
        client.force_login(user)
        response = client.get(reverse("photos:stream-following"))
        assert list(response.context["photos"]) == [followed]
        client.logout()
        url = reverse("photos:stream-following")
        assertRedirects(client.get(url), f"{reverse('account_login')}?next={url}")

    @pytest.mark.parametrize("count", [1, 8])
    def test_stream_query_count_is_fixed(self, client, user, django_assert_num_queries, count):
        for _ in range(count):
            ready_photo(user)
        with django_assert_num_queries(1):  # the page (keyset: nothing counted)
            client.get(reverse("photos:stream"))

    def test_api_streams(self, auth_api_client, user, other_user):
        theirs = ready_photo(other_user)
        mine = ready_photo(user)
        FollowFactory(follower=user, followed=other_user)
        public = auth_api_client.get(f"{PHOTOS}public/").json()
        assert [p["id"] for p in public["results"]] == [mine.pk, theirs.pk]
        assert public["results"][0]["blurhash"] == mine.blurhash
        assert public["count_is_lower_bound"] is False
        following = auth_api_client.get(f"{PHOTOS}following/").json()
        assert [p["id"] for p in following["results"]] == [theirs.pk]

    def test_user_stream_hides_unprocessed_photos(self, auth_api_client, other_user):
        ready = ready_photo(other_user)
        photo_upload(user=other_user, file=upload(image_bytes()))
        body = auth_api_client.get(f"/api/v1/users/{other_user.username}/photos/").json()
        assert [p["id"] for p in body["results"]] == [ready.pk]


class TestDuplicates:
    def test_api_answers_409_with_the_existing_photo(self, auth_api_client, user):
        data = image_bytes("PNG")
        first = auth_api_client.post(PHOTOS, {"photo": upload(data)}, format="multipart")
        again = auth_api_client.post(PHOTOS, {"photo": upload(data)}, format="multipart")
        assert again.status_code == 409
        photo = Photo.objects.get()
        assert again.json() == {
            "detail": "You have already uploaded this photo.",
            "url": first["Location"],
            "page": f"http://testserver/photos/{photo.pk}/",
        }

    def test_other_users_may_upload_the_same_bytes(self, user, other_user):
        data = image_bytes("PNG")
        photo_upload(user=user, file=upload(data))
        photo_upload(user=other_user, file=upload(data))
        assert Photo.objects.count() == 2

    def test_page_says_so_with_a_link(self, client, user):
        data = image_bytes("PNG")
        photo = photo_upload(user=user, file=upload(data))
        client.force_login(user)
        response = client.post(reverse("photos:grid"), {"photo": upload(data)})
        assertContains(response, "You have already uploaded this photo.", status_code=409)
        assertContains(response, f'href="{photo.get_absolute_url()}"', status_code=409)
        assert Photo.objects.count() == 1


class TestQuota:
    def test_shown_on_the_photos_page(self, client, user, settings):
        settings.PHOTOS_QUOTA_BYTES = 10_000
        photo = photo_upload(user=user, file=upload(image_bytes("PNG", size=(30, 30))))
        client.force_login(user)
        response = client.get(reverse("photos:grid"))
        assertContains(response, f"{photo.size}\xa0bytes of 9.8\xa0KB used")

    def test_upload_past_the_quota_is_a_clear_400(self, auth_api_client, user, settings):
        ready_photo(user)
        settings.PHOTOS_QUOTA_BYTES = Photo.objects.get().size + 10
        response = auth_api_client.post(
            PHOTOS, {"photo": upload(image_bytes("PNG", size=(40, 40)))}, format="multipart"
        )
        assert response.status_code == 400
        assert "past your storage quota" in response.json()["photo"][0]
        assert Photo.objects.count() == 1


def test_storage_used_is_summed_from_the_index_alone(user):
    """The grid page and every upload sum the user's sizes: read from the table, 50,000
    photos cost 600 ms; the (user) INCLUDE (size) index can answer without it. (Which
    plan wins depends on the table size and the visibility map, which autovacuum keeps on
    a live site and a test transaction does not; so the test pins that the index covers it.)"""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from photos.services import storage_used

    if connection.vendor != "postgresql":
        pytest.skip("plan shape is PostgreSQL's")
    others = UserFactory.create_batch(20)
    Photo.objects.bulk_create(
        Photo(user=user if n % 10 == 0 else others[n % 20], image=f"p/{n}.jpg",
              size=100, width=1, height=1, sha256=f"{n:064x}")
        for n in range(2000)
    )  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        assert storage_used(user) == 200 * 100
    (query,) = queries.captured_queries
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE photos_photo")
        cursor.execute("SET LOCAL enable_bitmapscan = off; SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {query['sql']}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using photos_user_size_idx" in plan
