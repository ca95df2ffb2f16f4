from django.core.management.base import BaseCommand

from snaps.services import snap_purge_expired


class Command(BaseCommand):
    help = "Delete every snap whose expiry time has passed."

    def handle(self, *args, **options) -> None:
        deleted = snap_purge_expired()
        self.stdout.write(self.style.SUCCESS(f"Purged {deleted} expired snap(s)."))
