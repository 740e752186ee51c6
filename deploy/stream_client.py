"""A fan's session spoken at the protocol level: Streamlit's websocket, as its frontend speaks it.

Used to check a deployment (``python deploy/cluster.py check``), by the cluster test and by the
cluster benchmark. What a browser tab does, and this does too:

* it loads the page over HTTP first, so that a load balancer's sticky cookie is set before the
  websocket opens (``/_stcore/stream``, subprotocol ``streamlit``), and it keeps that cookie for
  every reconnect: after its server died, the balancer sends it to another one and sets a new
  cookie, which is kept from then on;
* it asks for a script run (``BackMsg.rerun_script`` with the page and the link's query string)
  and reads ``ForwardMsg``\\ s until the run's ``script_finished``; a run that a fragment ends with
  ``st.rerun()`` is followed by the whole app's run, read as well;
* it answers the page's ``st.fragment(run_every=...)`` timers (``ForwardMsg.auto_rerun``) with
  fragment reruns, as the frontend's timers do (``follow``);
* a lost connection is reconnected (a bounded number of times) and the page run again.

Every wait is bounded. An exception element in a run, a run that does not finish in time, or a
connection that cannot be made again is an error, recorded in ``errors`` (never raised by
``follow``).
"""

from __future__ import annotations

import asyncio
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

import websockets

# Streamlit's own protocol messages (deploy/ is not the domain package: the ban is for standings/).
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: TID251
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: TID251

from ui.chart_element import sent_chart

#: The cookie HAProxy inserts to keep a session on one app server (``deploy/haproxy.cfg.template``).
SERVER_COOKIE = "RINKSIDE_SERVER"
_FINISHED = ForwardMsg.ScriptFinishedStatus


class SessionError(RuntimeError):
    """A session failed in a way a fan would see (an error on the page, no page, no connection)."""


@dataclass
class Run:
    """One script run as the client received it.

    Attributes:
        started: ``time.monotonic()`` when the run was asked for (or, for a run that a fragment
            started with ``st.rerun()``, when its first message arrived).
        first_chart: Seconds from ``started`` to the first chart element that draws a figure, if any.
        finished: Seconds from ``started`` to its ``script_finished``.
        text: The run's elements as received (their bytes as text: every label, option and caption).
        fragment: Whether it was a fragment's run only.
        server: The app server it ran on (the balancer's cookie), ``""`` without a balancer.
    """

    started: float
    first_chart: float | None = None
    finished: float | None = None
    text: list[str] = field(default_factory=list)
    fragment: bool = False
    server: str = ""


@dataclass
class StreamSession:
    """One fan's tab on a Rinkside page (see the module's docstring).

    Args:
        base_url: The site, e.g. ``http://127.0.0.1:8501`` (the balancer, or one app server).
        page: The page's URL path, e.g. ``standings``.
        query: The link's query string, e.g. ``circuit=lt-wc&season=2011-12&cup=women-500``.
        timeout: Seconds a run may take, and a connection to be made.
        reconnects: How many lost connections are reconnected before the session gives up.
    """

    base_url: str
    page: str
    query: str
    timeout: float = 60.0
    reconnects: int = 3
    #: Every run received, in order.
    runs: list[Run] = field(default_factory=list)
    #: What went wrong (empty for a session that went as a fan would want).
    errors: list[str] = field(default_factory=list)
    #: ``(monotonic time, server left)`` for each lost connection that was reconnected.
    reconnected: list[tuple[float, str]] = field(default_factory=list)
    cookies: dict[str, str] = field(default_factory=dict)
    _ws: websockets.ClientConnection | None = None
    _page_hash: str = ""
    _fragments: dict[str, float] = field(default_factory=dict)

    @property
    def server(self) -> str:
        """The app server the balancer's cookie names (``""`` if none)."""
        return self.cookies.get(SERVER_COOKIE, "")

    @property
    def refresh_seconds(self) -> float | None:
        """The interval of the page's auto-rerun fragment, if it has one."""
        return min(self._fragments.values()) if self._fragments else None

    # -- connecting --

    def _keep_cookies(self, headers: list[str]) -> None:
        for header in headers:
            parsed = SimpleCookie()
            parsed.load(header)
            self.cookies.update({name: morsel.value for name, morsel in parsed.items()})

    def _cookie_header(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}

    def _load_page(self) -> None:
        """GET the page's HTML, as a browser does first (the balancer sets its cookie on this answer)."""
        request = urllib.request.Request(f"{self.base_url}/{self.page}?{self.query}", headers=self._cookie_header())
        with urllib.request.urlopen(request, timeout=self.timeout) as reply:
            reply.read()
            self._keep_cookies(reply.headers.get_all("Set-Cookie") or [])

    async def connect(self) -> None:
        """Load the page and open its websocket (the balancer's cookie sent along).

        Raises:
            SessionError: No connection within ``timeout``.
        """
        deadline = time.monotonic() + self.timeout
        address = self.base_url.replace("http://", "ws://", 1) + "/_stcore/stream"
        while True:
            try:
                await asyncio.wait_for(asyncio.to_thread(self._load_page), timeout=self.timeout)
                self._ws = await asyncio.wait_for(
                    websockets.connect(
                        address,
                        subprotocols=[websockets.Subprotocol("streamlit")],
                        additional_headers=self._cookie_header(),
                        max_size=None,
                        open_timeout=self.timeout,
                    ),
                    timeout=self.timeout,
                )
            except (OSError, TimeoutError, websockets.InvalidHandshake) as error:
                # A server the balancer has not yet seen die answers nothing: retry, as the browser does.
                if time.monotonic() > deadline:
                    raise SessionError(f"cannot connect to {address}: {error!r}") from None
                await asyncio.sleep(0.5)
                continue
            response = self._ws.response
            if response is not None:
                self._keep_cookies(response.headers.get_all("Set-Cookie"))
            return

    async def close(self) -> None:
        """Close the websocket (a tab closed)."""
        if self._ws is not None:
            await self._ws.close()
            self._ws = None

    # -- runs --

    def _request(self, fragment_id: str = "") -> bytes:
        message = BackMsg()
        rerun = message.rerun_script
        rerun.query_string = self.query
        rerun.page_name = self.page
        rerun.page_script_hash = self._page_hash
        if fragment_id:
            rerun.fragment_id = fragment_id
            rerun.is_auto_rerun = True
        return bytes(message.SerializeToString())

    async def run(self, fragment_id: str = "") -> list[Run]:
        """Ask for a run (the page, or one fragment) and read until it, and any run it started, finished.

        Returns:
            The runs received: one, or a fragment's run and the app's run its ``st.rerun()`` started.

        Raises:
            SessionError: An exception element, or no ``script_finished`` within ``timeout``.
            websockets.ConnectionClosed: The connection was lost.
        """
        if self._ws is None:
            raise SessionError("not connected")
        current = Run(started=time.monotonic(), fragment=bool(fragment_id), server=self.server)
        received = [current]
        await self._ws.send(self._request(fragment_id))
        deadline = time.monotonic() + self.timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise SessionError(f"no script_finished within {self.timeout:g} s on {self.server or self.base_url}")
            message = ForwardMsg()
            message.ParseFromString(await asyncio.wait_for(self._ws.recv(decode=False), timeout=left))
            kind = message.WhichOneof("type")
            if kind == "new_session" and not message.metadata.run.fragment_ids:  # the app's run, not a fragment's
                self._page_hash = message.new_session.page_script_hash or self._page_hash
                if current.finished is not None:  # a fragment's st.rerun(): the app's run follows
                    current = Run(started=time.monotonic(), server=self.server)
                    received.append(current)
                self._fragments.clear()  # the run registers its timers anew
            elif kind == "navigation":
                # The page the run is on (an st.navigation app): a fragment's run asks for it, as the
                # browser does, so that its st.rerun() reruns this page and not the default one.
                self._page_hash = message.navigation.page_script_hash or self._page_hash
            elif kind == "page_info_changed":
                self.query = message.page_info_changed.query_string
            elif kind == "auto_rerun":
                self._fragments[message.auto_rerun.fragment_id] = message.auto_rerun.interval
            elif kind == "delta":
                self._read_delta(message, current)
            elif kind == "script_finished":
                status = message.script_finished
                current.finished = time.monotonic() - current.started
                if status == _FINISHED.FINISHED_WITH_COMPILE_ERROR:
                    raise SessionError(f"the page did not compile on {self.server}")
                if status != _FINISHED.FINISHED_EARLY_FOR_RERUN:
                    self.runs.extend(received)
                    return received

    def _read_delta(self, message: ForwardMsg, current: Run) -> None:
        delta = message.delta
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            raise SessionError(
                f"exception on {self.server or self.base_url}: {element.exception.type}: {element.exception.message}"
                + "".join(f"\n  {line}" for line in element.exception.stack_trace)
            )
        if current.first_chart is None and kind == "bidi_component" and sent_chart(element.bidi_component):
            current.first_chart = time.monotonic() - current.started
        # Its strings (labels, options, captions, Markdown) are in its bytes as written, in UTF-8.
        current.text.append(bytes(element.SerializeToString()).decode("utf-8", errors="replace"))

    # -- a fan following the page --

    async def open(self) -> Run:
        """Connect and run the page once: what a fan opening the link sees.

        Raises:
            SessionError: see ``connect`` and ``run``.
        """
        await self.connect()
        return (await self.run())[-1]

    async def follow(self, until: Callable[[], bool]) -> None:
        """Stay on the page until ``until()``: answer its fragment timers, reconnect when the server is lost.

        Errors are recorded in ``errors``; the session stops at the first one.
        """
        try:
            while not until():
                interval = self.refresh_seconds
                if interval is None:
                    await asyncio.sleep(0.2)
                    continue
                await asyncio.sleep(interval)
                if until():
                    return
                fragment = min(self._fragments, key=self._fragments.__getitem__)
                try:
                    await self.run(fragment)
                except websockets.ConnectionClosed:
                    await self._reconnect()
        except (SessionError, OSError, TimeoutError, websockets.WebSocketException) as error:
            self.errors.append(f"{self.server or self.base_url}: {error!r}")

    async def _reconnect(self) -> None:
        if len(self.reconnected) >= self.reconnects:
            raise SessionError(f"connection lost more than {self.reconnects} times")
        self.reconnected.append((time.monotonic(), self.server))
        if self._ws is not None:
            # The lost connection's socket, closed now rather than left to the garbage collector
            # (which warns of an unclosed socket at whatever moment it runs).
            self._ws.transport.abort()
        self._ws = None
        await self.connect()
        await self.run()
