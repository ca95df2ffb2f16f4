from django.http import Http404

from accounts.models import User


def user_get_by_username(username: str) -> User:
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        raise Http404(f"No user named {username!r}.") from None
