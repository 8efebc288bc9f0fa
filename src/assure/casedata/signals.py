"""Signals other areas listen to, so case data need not know who uses it."""

from django.dispatch import Signal

# Sent after an extract has been committed as the partnership's current snapshot: snapshot=.
snapshot_imported = Signal()
