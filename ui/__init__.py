"""Streamlit glue shared by the pages: cached data, the link-backed selection, rendering helpers.

Nothing here computes a number: it calls ``standings`` and lays out what comes back.
"""
