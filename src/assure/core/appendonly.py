"""Rows that are history: they can be added and read, never changed or deleted by the ORM.

Used by the audit trail and by action updates. The model's base manager is set to the same
queryset so related-object deletion cannot bypass it either.
"""

from typing import Any, NoReturn

from django.db import models


class AppendOnlyError(PermissionError):
    """An attempt to change or delete a row of history."""


class AppendOnlyQuerySet[M: models.Model](models.QuerySet[M]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(f"{self.model._meta.verbose_name} rows cannot be changed.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError(f"{self.model._meta.verbose_name} rows cannot be deleted.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(f"{self.model._meta.verbose_name} rows cannot be changed.")


class AppendOnlyModel(models.Model):
    """Saving an existing row or deleting one raises AppendOnlyError."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name} rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(f"{self._meta.verbose_name} rows cannot be deleted.")
