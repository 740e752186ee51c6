"""Storage: the results store (SQLAlchemy), the data shipped in ``data/``, imports and syncs.

It reads files and the ISU results API through ``standings.sources`` and writes the store;
it may import the core and ``standings.sources``, never the engine's results or the
presentation.
"""
