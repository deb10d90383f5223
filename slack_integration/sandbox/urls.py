"""The sandbox's routes (404 unless `manage.py case_sandbox` runs this process)."""

from django.urls import path

from slack_integration.sandbox import views

app_name = "sandbox"
urlpatterns = [
    path("", views.index, name="index"),
    path("api/state", views.state, name="state"),
    path("api/send", views.send, name="send"),
    path("api/shortcut", views.shortcut, name="shortcut"),
    path("api/suggest", views.suggest, name="suggest"),
    path("api/submit", views.submit, name="submit"),
]
