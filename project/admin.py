"""The admin site: Django's, made safe against query-string initial data.

The add form takes initial values from the query string (`?expires_at=...`) and hands
them to the widgets unparsed; a date/time field then fails to render a plain string
(a 500). Every ModelAdmin registered on this site, ours and third parties', parses such
values first and drops those that do not parse.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models

TEMPORAL_FIELDS = (models.DateTimeField, models.DateField, models.TimeField)


class ParsedInitialDataMixin:
    def get_changeform_initial_data(self, request) -> dict:
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if isinstance(field, TEMPORAL_FIELDS) and isinstance(value, str):
                form_field = field.formfield() or forms.CharField()
                try:
                    initial[name] = form_field.to_python(value)
                except ValidationError:
                    del initial[name]
        return initial


class AdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        base = admin_class or admin.ModelAdmin
        safe = type(base.__name__, (ParsedInitialDataMixin, base), {"__module__": base.__module__})
        super().register(model_or_iterable, safe, **options)
