"""Loads the package once, one session at a time: the first import of every page.

On a fresh server Streamlit runs the first visitors' pages straight from ``pages/`` (its
"pages folder" mode, until app.py's ``st.navigation`` has run once), each session in a thread of
its own, and their imports can meet half-way: Python's per-module import locks then give one
thread a module another is still initialising (``cannot import name 'Entry' from partially
initialized module 'standings.engine.title_race'``). Importing this module first makes the first
thread import everything under ``ui.warm_up.one_import_at_a_time`` while the others wait.
"""

from ui.warm_up import one_import_at_a_time

with one_import_at_a_time():
    import standings.engine.qualification
    import standings.present.charts
    import standings.present.event
    import standings.present.selection
    import standings.present.views
    import standings.present.wording  # noqa: F401 - with ui/, every module of the package a page imports
    import ui.cache
    import ui.cup_view
    import ui.render
    import ui.shell
    import ui.state  # noqa: F401
