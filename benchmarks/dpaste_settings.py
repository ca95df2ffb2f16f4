"""Settings for dpaste 3.5 on Django 5.2, used only by benchmarks/peers.py.

dpaste 3.5 was written for Django 2/3; rather than edit the installed package, this
module patches back the two names it imports that Django 4.0 removed, and replaces the
settings Django 5.1 and django-csp 4 no longer read. Everything else is dpaste's own.
"""

import django.conf.urls
import django.utils.translation
from django.urls import re_path
from django.utils.translation import gettext

django.conf.urls.url = re_path  # `url()` was removed in Django 4.0
django.utils.translation.ugettext = gettext  # removed in Django 4.0

from dpaste.settings.base import *  # noqa: E402,F403

del STATICFILES_STORAGE  # noqa: F821  (Django 5.1 reads STORAGES only)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
# django-csp 4 takes one dict (and refuses to start on the old CSP_* names).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
    }
}
del CSP_DEFAULT_SRC, CSP_SCRIPT_SRC, CSP_STYLE_SRC  # noqa: F821
del USE_L10N  # noqa: F821  (removed in Django 5.0)
# Served over plain HTTP on the loopback during the benchmark.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"  # what dpaste migrations made
