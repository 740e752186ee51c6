"""Benchmark: the app under ``streamlit run`` on 127.0.0.1 with N concurrent sessions.

Two clients:

* a websocket client speaking Streamlit's own protocol (the protobuf messages of the
  ``streamlit`` package, over ``/_stcore/stream``), as many sessions at once as asked: the
  time from connecting to receiving the page's first chart, and the server's memory;
* headless Chromium (Debian's ``chromium`` driven by Playwright): the time from navigation
  to the first chart drawn on screen, on a server just started (cold) and on a warm one.

Every run starts its own server on a free port with a store built beforehand (as a
deployment has), so runs do not share caches.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from standings.storage.shipped import open_store
from ui.chart_element import sent_chart

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
#: What fans open: (page url path, query string), taken in turn by the sessions.
LINKS = [
    ("standings", "circuit=lt-wc&season=2025-26&cup=men-500&after=2"),
    ("title-race", "circuit=lt-wc&season=2025-26&gender=men&cup=men-500&after=4"),
    ("standings", "circuit=lt-wc&season=2025-26&gender=women&cup=women-1000&after=4"),
    ("nations", "circuit=lt-wc&season=2025-26"),
    ("overall", "circuit=lt-wc&season=2025-26&gender=men"),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def rss_mb(pid: int) -> float:
    """Resident memory of a process (Linux ``/proc``), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


@contextmanager
def _streamlit(
    script: Path, cwd: Path, env: dict[str, str] | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``streamlit run script`` on a free port of 127.0.0.1, stopped on leaving; waits for its health check."""
    port = _free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true"]
    command += ["--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"]
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("streamlit did not start") from None
                time.sleep(0.2)
        yield url, process
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextmanager
def server(database: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """The app under ``streamlit run``, using ``database``."""
    env = {**os.environ, "RINKSIDE_DATABASE_URL": f"sqlite:///{database}"}
    with _streamlit(ROOT / "app.py", ROOT, env) as running:
        yield running


async def _session(url: str, link: tuple[str, str], hold: asyncio.Event, done: asyncio.Event) -> dict[str, float]:
    """One session: seconds to its first chart and to the end of the script run.

    Sets ``done`` when the run has finished, then stays connected until ``hold`` is set.
    """
    start = time.perf_counter()
    first_chart = None
    address = url.replace("http://", "ws://") + "/_stcore/stream"
    async with websockets.connect(address, subprotocols=[websockets.Subprotocol("streamlit")], max_size=None) as ws:
        request = BackMsg()
        request.rerun_script.page_name = link[0]
        request.rerun_script.query_string = link[1]
        await ws.send(request.SerializeToString())
        while True:
            message = ForwardMsg()
            message.ParseFromString(await ws.recv())
            kind = message.WhichOneof("type")
            if (
                first_chart is None
                and kind == "delta"
                and message.delta.WhichOneof("type") == "new_element"
                and (
                    message.delta.new_element.WhichOneof("type") == "plotly_chart"  # the floor's
                    or sent_chart(message.delta.new_element.bidi_component) is not None  # Rinkside's
                )
            ):
                first_chart = time.perf_counter() - start
            if kind == "script_finished":
                break
        finished = time.perf_counter() - start
        done.set()
        await hold.wait()
    if first_chart is None:
        raise RuntimeError(f"no chart on {link}")
    return {"first_chart_s": first_chart, "finished_s": finished}


async def _sessions(url: str, count: int, pid: int) -> tuple[list[dict[str, float]], float]:
    """``count`` sessions at once; the server's memory once all have finished their run (still connected)."""
    hold = asyncio.Event()
    done = [asyncio.Event() for _ in range(count)]
    tasks = [asyncio.create_task(_session(url, LINKS[i % len(LINKS)], hold, done[i])) for i in range(count)]
    waiting = asyncio.gather(*(event.wait() for event in done))
    watched: list[asyncio.Future[Any]] = [waiting, *tasks]
    # Until every run has finished, or a session fails (a session ends early only by failing).
    finished, _ = await asyncio.wait(watched, return_when=asyncio.FIRST_COMPLETED)
    if waiting not in finished:
        hold.set()
        await asyncio.gather(*tasks)  # raises the session's error
    memory = rss_mb(pid)
    hold.set()
    results = await asyncio.gather(*tasks)
    return list(results), memory


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def concurrent(counts: tuple[int, ...] = (1, 10, 25)) -> list[dict[str, Any]]:
    """For each N: a fresh, warmed server; N sessions at once; first-chart times and memory per session."""
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "rinkside.sqlite"
        open_store(f"sqlite:///{database}").close()
        for count in counts:
            with server(database) as (url, process):
                cold = asyncio.run(_sessions(url, 1, process.pid))[0][0]["first_chart_s"]
                for link in LINKS:  # warm: every view shown once, as on a server that has had visitors
                    asyncio.run(_sessions_for(url, link))
                base = rss_mb(process.pid)
                results, loaded = asyncio.run(_sessions(url, count, process.pid))
                firsts = [r["first_chart_s"] for r in results]
                rows.append(
                    {
                        "case": f"serving: {count} concurrent session{'s' if count > 1 else ''} (websocket)",
                        "sessions": count,
                        "cold_first_chart_s": cold,
                        "median_first_chart_s": statistics.median(firsts),
                        "p95_first_chart_s": _percentile(firsts, 0.95),
                        "max_first_chart_s": max(firsts),
                        "server_rss_base_mb": base,
                        "server_rss_mb": loaded,
                        "mb_per_session": (loaded - base) / count,
                    }
                )
    return rows


async def _sessions_for(url: str, link: tuple[str, str]) -> None:
    hold = asyncio.Event()
    hold.set()
    await _session(url, link, hold, asyncio.Event())


FLOOR_APP = """
import plotly.graph_objects as go
import streamlit as st

st.title("Floor")
st.plotly_chart(go.Figure(go.Scatter(y=[1, 3, 2])))
"""


@contextmanager
def _floor_server() -> Iterator[str]:
    """The framework's floor: a Streamlit page holding a title and one three-point chart."""
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "floor.py"
        script.write_text(FLOOR_APP, encoding="utf-8")
        with _streamlit(script, Path(folder)) as (url, _):
            yield url


def _first_chart(context: Any, address: str) -> float:
    page = context.new_page()
    start = time.perf_counter()
    page.goto(address)
    page.locator(".js-plotly-plot .main-svg").first.wait_for(state="visible", timeout=120_000)
    elapsed = time.perf_counter() - start
    page.close()
    return elapsed


def browser(repeat: int = 3) -> list[dict[str, Any]]:
    """Headless Chromium: navigation to the first chart drawn.

    Cold: a new browser profile (nothing cached) on a server just started. Warm: a second
    visit in the same profile (the frontend's scripts cached) to a server that has served
    the view. The floor is the same measurement of a page holding a title and one chart.
    """
    from playwright.sync_api import sync_playwright

    page_path, query = LINKS[0]
    measured: dict[str, list[float]] = {"cold": [], "warm": [], "floor cold": [], "floor warm": []}
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as driver:
        database = Path(folder) / "rinkside.sqlite"
        open_store(f"sqlite:///{database}").close()
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            for _ in range(repeat):
                with server(database) as (url, _):
                    context = launched.new_context(viewport={"width": 1440, "height": 1000})
                    measured["cold"].append(_first_chart(context, f"{url}/{page_path}?{query}"))
                    measured["warm"].append(_first_chart(context, f"{url}/{page_path}?{query}"))
                    context.close()
                with _floor_server() as url:
                    context = launched.new_context(viewport={"width": 1440, "height": 1000})
                    measured["floor cold"].append(_first_chart(context, url))
                    measured["floor warm"].append(_first_chart(context, url))
                    context.close()
        finally:
            launched.close()
    names = {
        "cold": "browser: first chart drawn, fresh server (cold)",
        "warm": "browser: first chart drawn, warm server, second visit",
        "floor cold": "browser floor: title + one chart, fresh server (cold)",
        "floor warm": "browser floor: title + one chart, second visit",
    }
    return [
        {"case": names[key], "median_s": statistics.median(values), "max_s": max(values), "runs": repeat}
        for key, values in measured.items()
    ]


if __name__ == "__main__":
    for record in [*concurrent(), *browser()]:
        print(record)
