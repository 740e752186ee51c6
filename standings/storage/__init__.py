"""Storage: the results store (SQLAlchemy), the data shipped in ``data/``, imports and syncs.

It reads files and the ISU results API through ``standings.sources`` and writes the store. It
may import the core, ``sources/``, and from ``engine/`` only ``engine.points`` (re-scoring an
import) and ``engine.title_race.types`` (the programme's races to come); never the rest of the
engine (standings tables, medals, the title race's search), ``season`` or the presentation.
``tests/test_architecture.py`` checks the imports against this statement, and that
docs/ARCHITECTURE.md states it word for word.
"""
