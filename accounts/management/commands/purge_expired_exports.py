from django.core.management.base import BaseCommand

from accounts.services import data_export_purge_expired


class Command(BaseCommand):
    help = "Delete the data exports whose download link has expired (rows and zip files)."

    def handle(self, *args, **options) -> None:
        deleted = data_export_purge_expired()
        self.stdout.write(self.style.SUCCESS(f"Purged {deleted} expired export(s)."))
