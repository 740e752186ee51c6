"""The engine: points from ranks, standings and progress, medal tables, the title race.

Pure functions of tables and rules; it knows nothing of files, databases or pages. It may
import only the core (``standings.model``, ``errors``, ``identity``, ``nations``, ``rules``,
``columns``).
"""
