import pytest
from django.core import mail
from django.core.management import call_command

from accounts.models import User
from photos.models import Photo
from snaps.models import Snap
from social.models import Follow, Post

# Real commits, so the on-commit hooks (follow e-mails) run where they would in production.
pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_seed_demo_is_idempotent_and_prints_credentials(capsys):
    call_command("seed_demo", url="http://127.0.0.1:8000")
    last_two = capsys.readouterr().out.splitlines()[-2:]
    # `make run` shows these right above the server's banner.
    assert "username 'demo' and password 'blueprints-demo'" in last_two[0]
    assert last_two[1] == "Open http://127.0.0.1:8000/"
    demo = User.objects.get(username="demo")
    assert demo.check_password("blueprints-demo")
    counts = (
        User.objects.count(),
        Snap.objects.count(),
        Post.objects.count(),
        Follow.objects.count(),
        Photo.objects.count(),
    )
    assert all(counts)
    call_command("seed_demo")
    assert (
        User.objects.count(),
        Snap.objects.count(),
        Post.objects.count(),
        Follow.objects.count(),
        Photo.objects.count(),
    ) == counts
    assert mail.outbox == []
