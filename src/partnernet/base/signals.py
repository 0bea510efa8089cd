"""Signals of the record layer, for what model signals cannot say.

``records_created`` follows a ``bulk_create`` of rows of a registered kind (which sends no ``post_save``),
once the rows and their many-to-many links are written, inside the writing transaction. Federation listens
to publish them; the writer never imports federation.
"""

from django.dispatch import Signal

records_created = Signal()
"""``sender`` is the model; ``records`` the rows just made (primary keys set); ``rows``, sent only for kinds
whose clean rows are their stored rows (``Kind.clean_is_row``), their exchange rows in the same order, so a
listener need not read them back."""

records_changed = Signal()
"""``sender`` is the model; ``ids`` the rows an ``update()`` changed in bulk (it sends no ``post_save``)."""
