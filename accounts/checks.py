from django.conf import settings
from django.core.checks import Error, register


@register()
def login_failed_rate_check(app_configs, **kwargs):
    from accounts.bruteforce import parse_rates

    try:
        parse_rates(settings.LOGIN_FAILED_RATE)
    except ValueError as error:
        return [Error(f"ACCOUNT_LOGIN_FAILED_RATE: {error}", id="accounts.E001")]
    return []
