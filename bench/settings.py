"""Case's settings plus one bench-only URL: a signed no-op view, the baseline."""

from case_project.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
