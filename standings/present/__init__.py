"""Presentation: the tables, sentences and figures the dashboard shows, and link checking.

Built from a scored ``standings.season.Season``; no Streamlit here (the pages in ``pages/``
and ``ui/`` lay these out). It may import the core, the engine and ``standings.season``.
"""
