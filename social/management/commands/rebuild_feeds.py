from django.core.management.base import BaseCommand, CommandError

from accounts.selectors import user_get_by_username
from social.services import feed_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the stored fan-out-on-write feeds (after switching SOCIAL_FEED_STRATEGY to write)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--user", dest="usernames", action="append", metavar="USERNAME",
                            help="Only this user's feed (repeatable).")  # fmt: skip

    def handle(self, *args, usernames=None, **options) -> None:
        user_ids = None
        if usernames:
            try:
                user_ids = [user_get_by_username(name).pk for name in usernames]
            except Exception as error:  # Http404 from the selector
                raise CommandError(str(error)) from None
        rebuilt = feed_rebuild(user_ids=user_ids)
        self.stdout.write(self.style.SUCCESS(f"Rebuilt {rebuilt} feed(s)."))
