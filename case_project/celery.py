"""The Celery app: configured from Django settings, tasks autodiscovered."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "case_project.settings")

app = Celery("case_project")
app.config_from_object("case_project.celery_config")
app.autodiscover_tasks()
