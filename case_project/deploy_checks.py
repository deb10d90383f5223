"""System checks for running Case as several processes behind a proxy."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

PROCESS_LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register()
def check_shared_cache(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """With a broker (separate worker and beat processes) the cache must be shared."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if not settings.CELERY_BROKER_URL or backend not in PROCESS_LOCAL_CACHES:
        return []
    return [
        Warning(
            "CELERY_BROKER_URL is set but the cache is process-local.",
            hint=(
                "Set CACHE_URL to a Redis URL (e.g. redis://127.0.0.1:6379/1): worker and "
                "beat heartbeats, and rate limits, must be seen by every process."
            ),
            id="case.W001",
        )
    ]


@register(Tags.staticfiles, deploy=True)
def check_collectstatic_ran(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """With DEBUG off, pages need the manifest that collectstatic writes."""
    backend = settings.STORAGES.get("staticfiles", {}).get("BACKEND", "")
    if "Manifest" not in backend or (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        return []
    return [
        Warning(
            f"STATIC_ROOT ({settings.STATIC_ROOT}) has no staticfiles.json.",
            hint="Run `manage.py collectstatic --noinput` on every deploy; without it the "
            "admin answers 500 when DEBUG is off.",
            id="case.W002",
        )
    ]


@register()
def check_sentry(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """SENTRY_DSN set but no reports sent: the SDK is missing or the DSN is bad."""
    if not settings.SENTRY_DSN or settings.SENTRY_ENABLED:
        return []
    from case_project.sentry import sentry_available

    hint = (
        "Check the DSN's format (https://<key>@<host>/<project>)."
        if sentry_available()
        else "Install the optional extra: pip install 'case[sentry]'."
    )
    return [Warning("SENTRY_DSN is set but Sentry is not enabled.", hint=hint, id="case.W003")]
