"""Expired data exports go: the beat task (and `manage.py purge_expired_exports`) deletes
their rows and zip files from storage once the link has expired, and no page, API
answer or earlier link still offers them."""

import os
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import DataExport
from accounts.services import data_export_purge_expired, user_export_signed_url
from accounts.tasks import data_export_purge_expired_task
from accounts.tests.factories import UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

DAY = 24 * 60 * 60


@pytest.fixture(autouse=True)
def _one_day_links(settings):
    settings.ACCOUNT_EXPORT_LINK_SECONDS = DAY


def ready_export(*, finished_hours_ago: float, user=None) -> DataExport:
    finished = timezone.now() - timedelta(hours=finished_hours_ago)
    export = DataExport(
        user=user or UserFactory(),
        status=DataExport.Status.READY,
        created_at=finished - timedelta(minutes=1),
        finished_at=finished,
        size=3,
    )
    export.file.save("x.zip", ContentFile(b"zip"), save=False)
    export.save()
    return export


def storage():
    return DataExport._meta.get_field("file").storage


class TestPurge:
    def test_deletes_expired_rows_and_files_and_keeps_fresh_ones(
        self, django_capture_on_commit_callbacks
    ):
        old = ready_export(finished_hours_ago=25)
        fresh = ready_export(finished_hours_ago=23)
        assert storage().exists(old.file.name)
        with django_capture_on_commit_callbacks(execute=True):
            assert data_export_purge_expired() == 1
        assert list(DataExport.objects.values_list("pk", flat=True)) == [fresh.pk]
        assert not storage().exists(old.file.name)
        assert storage().exists(fresh.file.name)

    def test_an_export_that_never_finished_goes_a_day_after_it_was_asked_for(self):
        now = timezone.now()
        stale = DataExport.objects.create(user=UserFactory(), created_at=now - timedelta(days=2))
        failed = DataExport.objects.create(
            user=UserFactory(), status=DataExport.Status.FAILED, created_at=now - timedelta(days=2)
        )
        building = DataExport.objects.create(user=UserFactory())
        assert data_export_purge_expired() == 2
        assert not DataExport.objects.filter(pk__in=[stale.pk, failed.pk]).exists()
        assert DataExport.objects.filter(pk=building.pk).exists()

    def test_old_zips_no_export_names_are_deleted_new_ones_are_left_to_their_build(self):
        kept = ready_export(finished_hours_ago=1)
        orphan = storage().save("exports/orphan.zip", ContentFile(b"zip"))
        two_days_ago = (timezone.now() - timedelta(days=2)).timestamp()
        os.utime(storage().path(orphan), (two_days_ago, two_days_ago))
        os.utime(storage().path(kept.file.name), (two_days_ago, two_days_ago))
        in_progress = storage().save("exports/building.zip", ContentFile(b"zip"))
        assert data_export_purge_expired() == 0
        assert not storage().exists(orphan)
        assert storage().exists(in_progress)
        assert storage().exists(kept.file.name)  # named by a live export, however old

    def test_nothing_to_do_without_any_export(self):
        assert data_export_purge_expired() == 0

    def test_management_command_reports_the_count(self, capsys):
        ready_export(finished_hours_ago=30)
        ready_export(finished_hours_ago=48)
        call_command("purge_expired_exports")
        assert "Purged 2 expired export(s)." in capsys.readouterr().out
        assert not DataExport.objects.exists()

    def test_periodic_task_purges(self, settings):
        ready_export(finished_hours_ago=30)
        assert data_export_purge_expired_task.delay().get() == 1
        entry = settings.CELERY_BEAT_SCHEDULE["accounts-exports-purge-expired"]
        assert entry["task"] == data_export_purge_expired_task.name


class TestExpiredExportIsNotOffered:
    def test_a_link_signed_recently_stops_when_the_export_expires(self):
        export = ready_export(finished_hours_ago=25)
        # The signature is fresh, but the export it names has expired.
        assert Client().get(user_export_signed_url(export)).status_code == 404

    def test_the_page_says_expired_instead_of_linking(self, client):
        export = ready_export(finished_hours_ago=25)
        client.force_login(export.user)
        page = client.get(reverse("account-data"))
        assert page.context["download_url"] is None
        assert b"has expired" in page.content

    def test_the_api_shows_the_expiry_and_no_link(self):
        export = ready_export(finished_hours_ago=25)
        api = APIClient()
        api.force_authenticate(export.user)
        body = api.get("/api/v1/users/me/export/").json()
        assert body["download_url"] is None
        assert body["expires_at"] == (export.finished_at + timedelta(days=1)).isoformat().replace(
            "+00:00", "Z"
        )

    def test_a_fresh_export_is_linked_until_its_expiry(self, client):
        export = ready_export(finished_hours_ago=1)
        client.force_login(export.user)
        link = client.get(reverse("account-data")).context["download_url"]
        assert link and Client().get(link).status_code == 200
