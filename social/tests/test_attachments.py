"""Photos attached to posts: API, web composer, visibility, N+1-free lists, deletion."""

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from accounts.tests.factories import UserFactory
from photos.models import Photo
from photos.services import photo_delete, photo_process, photo_upload
from photos.tests.images import image_bytes, upload
from social import services
from social.feeds import STRATEGIES
from social.models import Post, PostAttachment
from social.tests.factories import FollowFactory, PostFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def ready_photo(user, alt_text="a red square", size=(300, 200)) -> Photo:
    photo = photo_upload(user=user, file=upload(image_bytes(size=size)), alt_text=alt_text)
    photo_process(photo_id=photo.pk)  # what the worker does
    photo.refresh_from_db()
    return photo


def create(client, **data):
    return client.post("/api/v1/posts/", {"content": "look", **data}, format="json")


class TestApi:
    def test_create_with_photos_shows_sizes_srcset_blurhash_and_alt(self, auth_api_client, user):
        first, second = ready_photo(user, "first one"), ready_photo(user, "second one")
        response = create(auth_api_client, media_ids=[second.pk, first.pk])
        assert response.status_code == 201, response.json()
        attachments = response.json()["attachments"]
        assert [a["id"] for a in attachments] == [second.pk, first.pk]
        shown = attachments[0]
        assert shown["alt_text"] == "second one" and shown["blurhash"] == second.blurhash
        assert shown["width"] == second.display_width and shown["preview_side"] > 0
        assert shown["url"].endswith(second.image.url)
        assert shown["srcset"].endswith(f"{second.image.url} {second.display_width}w")
        assert f"{second.thumbnail_webp.url} {second.thumbnail_side}w" in shown["srcset_webp"]
        assert "media_ids" not in response.json()
        fetched = auth_api_client.get(f"/api/v1/posts/{response.json()['id']}/").json()
        assert fetched["attachments"] == attachments

    def test_media_attributes_edit_the_photos_alt_text(self, auth_api_client, user):
        photo = ready_photo(user, "old words")
        response = create(
            auth_api_client,
            media_ids=[photo.pk],
            media_attributes=[{"id": photo.pk, "alt_text": "new words"}],
        )
        assert response.status_code == 201
        assert response.json()["attachments"][0]["alt_text"] == "new words"
        photo.refresh_from_db()
        assert photo.alt_text == "new words"

    @pytest.mark.parametrize(
        ("media", "field", "words"),
        [
            ("others", "media_ids", "Not among your processed photos"),
            ("processing", "media_ids", "Not among your processed photos"),
            ("missing", "media_ids", "Not among your processed photos"),
            ("five", "media_ids", "no more than 4"),
            ("twice", "media_ids", "attached once"),
            ("text", "media_ids", "valid integer"),
            ("stray_alt", "media_attributes", "Not among the photos attached"),
            ("alt_alone", "media_attributes", "Give media_ids"),
        ],
    )
    def test_bad_media_is_a_clear_400_and_nothing_is_written(
        self, auth_api_client, user, other_user, media, field, words
    ):
        mine = ready_photo(user)
        data = {
            "others": {"media_ids": [ready_photo(other_user).pk]},
            "processing": {"media_ids": [photo_upload(user=user, file=upload(image_bytes())).pk]},
            "missing": {"media_ids": [10**12]},
            "five": {"media_ids": [mine.pk, *(ready_photo(user).pk for _ in range(4))]},
            "twice": {"media_ids": [mine.pk, mine.pk]},
            "text": {"media_ids": ["abc"]},
            "stray_alt": {
                "media_ids": [mine.pk],
                "media_attributes": [{"id": mine.pk + 1000, "alt_text": "x"}],
            },
            "alt_alone": {"media_attributes": [{"id": mine.pk, "alt_text": "x"}]},
        }[media]
        response = create(auth_api_client, **data)
        assert response.status_code == 400
        assert words in str(response.json()[field])
        assert not PostAttachment.objects.exists()
        assert not user.posts.filter(kind=Post.Kind.POST).exists()  # photos' activities aside

    def test_edit_replaces_and_empty_list_removes_photos(self, auth_api_client, user):
        first, second = ready_photo(user), ready_photo(user)
        post_id = create(auth_api_client, media_ids=[first.pk]).json()["id"]
        url = f"/api/v1/posts/{post_id}/"
        response = auth_api_client.patch(url, {"media_ids": [second.pk]}, format="json")
        assert response.status_code == 200
        assert [a["id"] for a in response.json()["attachments"]] == [second.pk]
        assert response.json()["content"] == "look"  # the text is left as it was
        response = auth_api_client.patch(url, {"media_ids": []}, format="json")
        assert response.json()["attachments"] == []

    def test_edit_refuses_another_users_photo(self, auth_api_client, user, other_user):
        post_id = create(auth_api_client).json()["id"]
        response = auth_api_client.patch(
            f"/api/v1/posts/{post_id}/", {"media_ids": [ready_photo(other_user).pk]}, format="json"
        )
        assert response.status_code == 400 and "media_ids" in response.json()

    @pytest.mark.parametrize("count", [1, 6])
    def test_lists_are_n_plus_1_free(self, api_client, user, django_assert_num_queries, count):
        for _ in range(count):
            services.post_create(user=user, content="p", photo_ids=[ready_photo(user).pk])
        with django_assert_num_queries(3):  # the count, the page, its photos
            response = api_client.get("/api/v1/posts/")
        assert len(response.json()["results"]) == count
        assert all(len(post["attachments"]) == 1 for post in response.json()["results"])


@pytest.mark.parametrize("strategy", sorted(STRATEGIES))
class TestFeedsUnderEveryStrategy:
    @pytest.mark.parametrize("count", [1, 5])
    def test_feed_pages_prefetch_photos(
        self, settings, strategy, auth_api_client, user, django_assert_num_queries, count
    ):
        settings.SOCIAL_FEED_STRATEGY = strategy
        settings.API_CACHE_SECONDS = 0
        for friend in UserFactory.create_batch(count):
            FollowFactory(follower=user, followed=friend)
            post = services.post_create(
                user=friend, content="p", photo_ids=[ready_photo(friend).pk, ready_photo(friend).pk]
            )
            services.feed_fanout_post(post_id=post.pk)
        auth_api_client.get("/api/v1/feed/")  # warm what each strategy keeps
        # hidden authors, the feed (`join`; `write`: the posts by id; `cache`, whose merge is
        # not kept with API_CACHE_SECONDS=0: the followees, then the posts by id), photos,
        # likes; a photo on a post has no "new photo" entry of its own to render
        expected = {"join": 4, "cache": 5, "write": 4}[strategy]
        with django_assert_num_queries(expected):
            response = auth_api_client.get("/api/v1/feed/")
        results = [post for post in response.json()["results"] if post["kind"] == "post"]
        assert len(results) == count and all(len(p["attachments"]) == 2 for p in results)


class TestWeb:
    def test_visitors_see_photos_with_alt_text_and_srcset(self, client, user):
        photo = ready_photo(user, "a dog on a beach")
        post = services.post_create(user=user, content="beach", photo_ids=[photo.pk])
        for url in (post.get_absolute_url(), reverse("social:public"), f"/u/{user.username}/"):
            page = client.get(url)
            assertContains(page, 'alt="a dog on a beach"')
            assertContains(page, f"{photo.image_webp.url} {photo.display_width}w")
        assert Client().get(f"/api/v1/posts/{post.pk}/").json()["attachments"][0]["id"] == photo.pk

    def test_composer_attaches_own_photos_with_edited_alt_text(self, client, user):
        photo = ready_photo(user, "before")
        client.force_login(user)
        feed = client.get(reverse("social:feed"))
        assertContains(feed, f'name="alt_{photo.pk}"')
        assertContains(feed, 'enctype="multipart/form-data"')
        response = client.post(
            reverse("social:post-create"),
            {"content": "with a photo", "photos": [photo.pk], f"alt_{photo.pk}": "after"},
        )
        assert response.status_code == 302
        post = user.posts.get(kind=Post.Kind.POST)
        assert [a.photo_id for a in post.attachments.all()] == [photo.pk]
        photo.refresh_from_db()
        assert photo.alt_text == "after"

    def test_composer_uploads_a_photo_shown_once_processed(self, client, user):
        client.force_login(user)
        response = client.post(
            reverse("social:post-create"),
            {
                "content": "fresh",
                "upload_1": upload(image_bytes(size=(120, 90))),
                "upload_alt_1": "just taken",
            },
        )
        assert response.status_code == 302
        post = user.posts.get(kind=Post.Kind.POST)
        (attachment,) = post.attachments.select_related("photo")
        assert attachment.photo.alt_text == "just taken"
        assertNotContains(client.get(post.get_absolute_url()), 'alt="just taken"')  # processing
        photo_process(photo_id=attachment.photo_id)
        assertContains(client.get(post.get_absolute_url()), 'alt="just taken"')

    def test_composer_refuses_more_than_four(self, client, user):
        photos = [ready_photo(user) for _ in range(4)]
        client.force_login(user)
        response = client.post(
            reverse("social:post-create"),
            {
                "content": "too many",
                "photos": [photo.pk for photo in photos],
                "upload_1": upload(image_bytes()),
            },
        )
        assert response.status_code == 200
        assertContains(response, "at most 4 photos")
        assert not user.posts.filter(kind=Post.Kind.POST).exists()  # photos' activities aside

    def test_composer_rejects_a_bad_upload_clearly(self, client, user):
        client.force_login(user)
        response = client.post(
            reverse("social:post-create"),
            {"content": "oops", "upload_1": upload(b"not an image", name="x.png")},
        )
        assert response.status_code == 200
        assertContains(response, "x.png:")
        assert not user.posts.filter(kind=Post.Kind.POST).exists()  # photos' activities aside

    @pytest.mark.parametrize("count", [1, 4])
    def test_profile_and_public_pages_are_n_plus_1_free(
        self, client, user, django_assert_num_queries, count
    ):
        for _ in range(count):
            services.post_create(user=user, content="p", photo_ids=[ready_photo(user).pk])
        with django_assert_num_queries(3):  # the count, the page, its photos
            client.get(reverse("social:public"))


def test_deleting_a_photo_removes_it_from_posts(client, user, django_capture_on_commit_callbacks):
    kept, gone = ready_photo(user, "kept"), ready_photo(user, "gone")
    post = services.post_create(user=user, content="two", photo_ids=[gone.pk, kept.pk])
    with django_capture_on_commit_callbacks(execute=True):
        photo_delete(photo=gone, by=user)
    assert [a.photo_id for a in post.attachments.all()] == [kept.pk]
    page = client.get(post.get_absolute_url())
    assertNotContains(page, 'alt="gone"')
    assertContains(page, 'alt="kept"')


def test_admin_shows_the_attachments_inline(client, user):
    admin = UserFactory(is_staff=True, is_superuser=True)
    post = PostFactory(user=user)
    photo = ready_photo(user)
    PostAttachment.objects.create(post=post, photo=photo)
    client.force_login(admin)
    page = client.get(reverse("admin:social_post_change", args=[post.pk]))
    assertContains(page, "attachments-TOTAL_FORMS")
    assertContains(page, f'value="{photo.pk}"')


def test_a_patch_needs_each_media_attribute_whole(auth_api_client, user):
    """DRF's partial PATCH reaches nested items too: an item without its id was a 500."""
    post = services.post_create(user=user, content="p")
    for item in ({"alt_text": ""}, {"id": 1}):
        response = auth_api_client.patch(
            f"/api/v1/posts/{post.pk}/",
            {"content": "0", "media_ids": [], "media_attributes": [item]},
            format="json",
        )
        assert response.status_code == 400, response.content
        assert "media_attributes" in response.json()
