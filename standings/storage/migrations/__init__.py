"""The store's schema history (Alembic): one revision per change, applied by ``standings db upgrade``.

See ``standings.storage.schema`` for how a store is brought to the newest revision.
"""
