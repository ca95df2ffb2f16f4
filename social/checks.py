from django.conf import settings
from django.core.checks import Error, register


@register()
def feed_strategy_check(app_configs, **kwargs):
    from social.feeds import STRATEGIES

    if settings.SOCIAL_FEED_STRATEGY not in STRATEGIES:
        return [
            Error(
                f"SOCIAL_FEED_STRATEGY={settings.SOCIAL_FEED_STRATEGY!r} is not one of "
                f"{', '.join(sorted(STRATEGIES))}.",
                id="social.E001",
            )
        ]
    return []
