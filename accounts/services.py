from accounts.models import User


def user_get_or_create_demo(*, username: str, password: str) -> User:
    """The demo account; its password is reset so the printed credentials always work."""
    user, _ = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.com"}
    )
    user.set_password(password)
    user.save(update_fields=["password"])
    return user
