"""Idempotent demo data: a demo user plus a little content from every app that has some."""

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from accounts.services import user_get_or_create_demo

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "blueprints-demo"


class Command(BaseCommand):
    help = "Create the demo user and a little demo content per app (safe to run twice)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--url", default=settings.SITE_URL, help="where the site is served")

    def handle(self, *args, **options) -> None:
        self._seed()
        # Last, after the tasks queued on commit have run and logged: `make run` shows
        # these two lines right above the server's banner.
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo user ready. Log in with username '{DEMO_USERNAME}' "
                f"and password '{DEMO_PASSWORD}'."
            )
        )
        self.stdout.write(self.style.SUCCESS(f"Open {options['url'].rstrip('/')}/"))

    # Demo follows must not e-mail anyone.
    @override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
    @transaction.atomic
    def _seed(self) -> None:
        user = user_get_or_create_demo(username=DEMO_USERNAME, password=DEMO_PASSWORD)
        # Each app may ship `<app>/demo.py` with `seed(user) -> str` (a one-line summary).
        for config in apps.get_app_configs():
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            summary = module.seed(user)
            self.stdout.write(f"  {config.label}: {summary}")
