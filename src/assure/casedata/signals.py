"""Signals other areas listen to, so case data need not know who uses it."""

from django.dispatch import Signal

# Sent after an extract has been committed as the partnership's current snapshot: snapshot=.
snapshot_imported = Signal()

# Sent inside the transaction that changed the current snapshot's rows in place (a purge), so
# that whatever was worked out from them is dropped: partnership_id=.
case_data_changed = Signal()
