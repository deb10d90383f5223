"""The all-time figures, computed in the background so reports need not scan history."""

from django.db import models


class AllTimeSnapshot(models.Model):
    """One row per name: the all-time report as of `computed_at` (`reporting.snapshot`)."""

    name = models.CharField(max_length=32, primary_key=True)
    computed_at = models.DateTimeField()
    figures = models.JSONField()

    def __str__(self) -> str:
        return f"{self.name} as of {self.computed_at:%Y-%m-%d %H:%M} UTC"
