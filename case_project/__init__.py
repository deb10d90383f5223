"""Case: the Django project (settings, URLs, Celery)."""

from case_project.celery import app as celery_app

__all__ = ("celery_app",)
