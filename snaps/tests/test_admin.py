import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from accounts.tests.factories import UserFactory
from snaps import services
from snaps.tests.factories import SnapFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_admin_lists_languages_and_shows_revisions_and_anonymous_snaps(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    snap = SnapFactory(user=admin, language="rust")
    services.snap_update(snap=snap, by=admin, content="changed\n")
    anonymous, _ = services.snap_create_anonymous(name="anon", content="x")
    client.force_login(admin)
    changelist = client.get(reverse("admin:snaps_snap_changelist"))
    assertContains(changelist, snap.filename)
    assertContains(changelist, "burn after reading")
    change = client.get(reverse("admin:snaps_snap_change", args=[snap.pk]))
    assertContains(change, "Snap revisions")
    assertContains(change, "Snap files")  # the files inline, editable
    assertContains(change, 'value="rust"')
    assert client.get(reverse("admin:snaps_snap_change", args=[anonymous.pk])).status_code == 200
