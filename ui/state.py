"""The view's selection: initialised from the opening link, kept in widgets, written back to the URL.

On a session's first run the link's query parameters are remembered; each widget
takes its first value from them (checked by ``standings.present.selection``; an unknown or
hostile value falls back to the default with a visible notice). After that the
widgets own the values, and every run writes the current view back to the URL,
so a copied link reopens the same view.

A widget whose options belong to one circuit or season (the season, the "as of"
World Cup) is scoped to it: it is a new widget in each scope, so it can never show
one season's labels while the page computes another's, and what the user picked in
a scope is remembered when they come back to it. A link's value is applied once.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final, TypeVar
from urllib.parse import urlencode, urlsplit

import streamlit as st

from standings.present.selection import choose, choose_many, unknown_parameters

T = TypeVar("T")
_LINK = "rs_link"
_NOTICES = "rs_notices"
_VIEW = "rs_view"
_SLOT = "rs_notice_slot"
_PICKED = "rs_picked"  # what the user picked, by widget key: kept while the widget is not shown
_APPLIED = "rs_link_applied"  # the selections whose link value has been applied


@dataclass(frozen=True)
class View:
    """The shared sidebar selection."""

    circuit: str
    season: str
    gender: str
    after: int


def remember_link() -> None:
    """On a session's first run, keep the link's parameters (all values of each)."""
    if _LINK in st.session_state:
        return
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    st.session_state[_LINK] = params
    st.session_state[_NOTICES] = []
    notice = unknown_parameters(params)
    if notice:
        st.session_state[_NOTICES].append(notice)


def link_value(key: str) -> str | None:
    """The opening link's (last) value for ``key``, unchecked; ``None`` if absent."""
    values = st.session_state.get(_LINK, {}).get(key) or []
    return str(values[-1]) if values else None


def _remember(key: str) -> None:
    st.session_state.setdefault(_PICKED, {})[key] = st.session_state[key]


def widget_key(key: str, scope: Sequence[str] = ()) -> str:
    """The widget key of the selection ``key`` in ``scope``: ``after@lt-wc/2025-26``."""
    return f"{key}@{'/'.join(scope)}" if scope else key


def select(
    label: str,
    options: Sequence[T],
    *,
    key: str,
    default: T,
    format_func: Callable[[T], str] = str,
    parse: Callable[[str], T] | None = None,
    param: str | None = None,
    scope: Sequence[str] = (),
    fallback: Callable[[T], T | None] | None = None,
    where: Any = None,
    **kwargs: Any,
) -> T:
    """A select box whose first value comes from the link's ``param`` parameter (default: ``key``).

    Args:
        label: The widget's label.
        options: The values offered.
        key: The selection's name (also its widget key when ``scope`` is empty).
        default: The value when neither the user nor the link chose one.
        format_func: How an option is shown.
        parse: Turns the link's text into an option (e.g. ``int``).
        param: The link parameter (default: ``key``); applied once per session.
        scope: What the options belong to (circuit, season): each scope has its own widget,
            and the user's pick in a scope is remembered when they come back to it.
        fallback: When the current value is no longer an option (say the men's 1500 m after
            a switch to women), the option that stands for it (the women's 1500 m), or ``None``.
        where: The container (default: the page).
    """
    name = param or key
    wkey = widget_key(key, scope)
    picked = st.session_state.setdefault(_PICKED, {})
    applied = st.session_state.setdefault(_APPLIED, set())
    if wkey in picked and picked[wkey] not in options:
        stand_in = fallback(picked[wkey]) if fallback is not None else None
        if stand_in in options:
            picked[wkey] = stand_in
        else:
            del picked[wkey]
    if wkey not in picked and key not in applied:
        applied.add(key)
        raw = link_value(name)
        choice = choose(raw, options, name=name, default=default, parse=parse, describe=lambda v: format_func(v))
        if choice.notice:
            st.session_state[_NOTICES].append(choice.notice)
        elif raw:
            picked[wkey] = choice.value
    # The user's pick (or the link's) wins; otherwise the default, which follows the data
    # (a new World Cup loaded becomes the "as of" of everyone who did not pick one).
    st.session_state[wkey] = picked.get(wkey, default)
    container = where if where is not None else st
    value: T = container.selectbox(
        label, options, key=wkey, format_func=format_func, on_change=_remember, args=(wkey,), **kwargs
    )
    return value


def select_many(
    label: str,
    options: Sequence[str],
    *,
    key: str,
    format_func: Callable[[str], str] = str,
    param: str | None = None,
    where: Any = None,
    **kwargs: Any,
) -> list[str]:
    """A multiselect whose first values come from the link's ``param`` parameter (default: ``key``)."""
    name = param or key
    if key not in st.session_state:
        values = st.session_state.get(_LINK, {}).get(name)
        choice = choose_many(values, options, name=name)
        if choice.notice:
            st.session_state[_NOTICES].append(choice.notice)
        st.session_state[key] = list(choice.value)
    else:
        st.session_state[key] = [v for v in st.session_state[key] if v in options]
    container = where if where is not None else st
    picked: list[str] = container.multiselect(label, options, key=key, format_func=format_func, **kwargs)
    return picked


def follow(key: str, value: str, options: Sequence[str]) -> None:
    """Set the sidebar's selection ``key`` to ``value`` and run the app again, when it shows another
    (the sidebar is drawn before the page: the Skater page makes it follow the skater's gender).

    Nothing happens when ``value`` is not among the selection's ``options`` or is shown already.
    """
    if value not in options or st.session_state.get(key) == value:
        return
    st.session_state.setdefault(_PICKED, {})[key] = value
    st.rerun()


def set_view(view: View) -> None:
    """Share the sidebar selection with the page."""
    st.session_state[_VIEW] = view


def view() -> View:
    """The sidebar selection (set by app.py before the page runs)."""
    current: View = st.session_state[_VIEW]
    return current


def show_notices() -> None:
    """Reserve the place, under the page title, where the link's notices appear (filled by ``publish``)."""
    st.session_state[_SLOT] = st.container()


def _flush_notices() -> None:
    slot = st.session_state.pop(_SLOT, None)
    for notice in st.session_state.get(_NOTICES, []):
        (slot or st).warning(notice, icon=":material/link_off:")
    st.session_state[_NOTICES] = []


def _view_params() -> dict[str, str]:
    """The sidebar's view as link parameters."""
    current = view()
    return {"circuit": current.circuit, "season": current.season, "gender": current.gender, "after": str(current.after)}


#: The dashboard's address as its readers reach it (``https://rinkside.example.org/``), for the links
#: in tables and their CSV downloads; unset, the address the reader's browser shows is used.
PUBLIC_URL_VARIABLE: Final = "RINKSIDE_PUBLIC_URL"


def link_base(public_url: str | None, page_url: str | None) -> str:
    """Where the pages' links start: the public address (``RINKSIDE_PUBLIC_URL``), else the folder of
    the page the browser shows (``https://host/rinkside/`` from ``https://host/rinkside/event?race=...``),
    else ``./`` (no address known: a link relative to the page, as in tests).

    An absolute link also works in a CSV download opened in a spreadsheet, far from the app.
    """
    for url in (public_url, page_url):
        if not url or not url.strip():
            continue
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            continue
        folder = parts.path if url is public_url else parts.path.rsplit("/", 1)[0]
        return f"{parts.scheme}://{parts.netloc}{folder.rstrip('/')}/"
    return "./"


def _link_base() -> str:
    try:
        page_url = st.context.url
    except Exception:  # no browser behind the run (a test, a bare script run)
        page_url = None
    return link_base(os.environ.get(PUBLIC_URL_VARIABLE), page_url)


def page_link(page: str, **page_params: str | int) -> str:
    """A link to another page showing the same view, with that page's own parameters (absolute where the
    dashboard's address is known: see ``link_base``)."""
    return f"{_link_base()}{page}?{urlencode({**_view_params(), **{k: str(v) for k, v in page_params.items()}})}"


def page_links(page: str, param: str, values: Iterable[str]) -> list[str]:
    """``page_link(page, **{param: value})`` for each value: one link per table row, the view encoded once."""
    shown = _view_params()
    if param in shown:
        return [page_link(page, **{param: value}) for value in values]
    base = f"{_link_base()}{page}?{urlencode(shown)}&"
    return [base + urlencode({param: str(value)}) for value in values]


def publish(**page_params: str | int | Sequence[str] | None) -> None:
    """Write the current view to the URL (the sidebar's values plus the page's own) and show the notices."""
    _flush_notices()
    params: dict[str, str | list[str]] = {**_view_params()}
    for key, value in page_params.items():
        if value is None or value == "" or (isinstance(value, list | tuple) and not value):
            continue
        params[key] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    st.query_params.from_dict(params)


def dark() -> bool:
    """Whether the app shows its dark theme (charts follow it)."""
    return st.context.theme.type == "dark"
