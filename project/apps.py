from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """django.contrib.admin with the project's site (project.admin.AdminSite)."""

    default_site = "project.admin.AdminSite"
