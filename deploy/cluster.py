"""Rinkside hosted for many fans, on one machine: PostgreSQL, N app servers, the sync worker, HAProxy.

::

    python deploy/cluster.py start --servers 3 --state-dir /srv/rinkside [--api-url URL] [--port 8501]
    python deploy/cluster.py status --state-dir /srv/rinkside
    python deploy/cluster.py check --state-dir /srv/rinkside     # a fan's page through the balancer
    python deploy/cluster.py stop --state-dir /srv/rinkside

``start`` brings up, all on 127.0.0.1, each waited for with a bound:

1. PostgreSQL (Debian's ``/usr/lib/postgresql/<version>/bin``), its data in ``STATE/postgres``
   (made on the first start: a ``rinkside`` role with a random password, and its database), or
   the database named by ``--database-url`` (a URL, or ``@FILE`` holding it);
2. ``standings db upgrade`` (the Alembic migrations), then the shipped data seeded once, so the
   app servers do not all seed at once;
3. N Streamlit app servers (``streamlit run app.py``, no file watcher), each warmed by opening
   every page once (``warm_up``);
4. the sync worker (``standings sync --watch``) following the season from the ISU results API;
5. HAProxy on ``--port``: sticky sessions by cookie, websockets, health checks; ``start`` returns
   once HAProxy's checks see every app server up, and prints the URL.

The database URL is a secret: it is kept in ``STATE/database-url`` (mode 600) and handed to
every process in its environment (``RINKSIDE_DATABASE_URL``), never on a command line.
``STATE/cluster.json`` records what was started (pids, ports, logs in ``STATE/logs``); ``stop``
ends exactly those processes (each started in a process group of its own) and the PostgreSQL
server it started, nothing else. A ``start`` that fails stops what it had started and says why,
with the end of the failing component's log.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import json
import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

ROOT: Final = Path(__file__).resolve().parent.parent
TEMPLATE: Final = Path(__file__).resolve().parent / "haproxy.cfg.template"
DATABASE_URL_VARIABLE: Final = "RINKSIDE_DATABASE_URL"
REFRESH_VARIABLE: Final = "RINKSIDE_REFRESH_SECONDS"
POOL_SIZE_VARIABLE: Final = "RINKSIDE_DB_POOL_SIZE"
#: Bounds, in seconds, of every wait.
POSTGRES_START_S: Final = 60
MIGRATE_S: Final = 120
SEED_S: Final = 600
APP_START_S: Final = 120
BALANCER_S: Final = 60
STOP_S: Final = 15


class ClusterError(RuntimeError):
    """A component did not start or stop (the message says which, and why)."""


def console_script(name: str, module: str) -> list[str]:
    """The command of a console script of the environment running this (a venv, a conda env, the system's).

    ``BIN/name`` beside this interpreter (``sys.executable``, not resolved: a venv's ``python`` is a
    link out of it) where installed there, else ``python -m module`` with this interpreter. Never a
    ``.venv`` of the checkout, nor whatever ``PATH`` finds first: the processes run the same
    environment, so the same Rinkside and the same libraries, as ``cluster.py`` itself.
    """
    script = Path(sys.executable).parent / name
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", module]


@dataclass
class Started:
    """A process ``start`` began: the leader of its own process group."""

    name: str
    pid: int
    #: The process's start time in clock ticks since boot (``/proc/PID/stat``): tells it from a later
    #: process that got the same pid.
    ticks: int
    log: str
    port: int | None = None


@dataclass
class Cluster:
    """What ``start`` brought up, as kept in ``STATE/cluster.json``."""

    url: str
    processes: list[Started] = field(default_factory=list)
    #: The PostgreSQL data folder of a server ``start`` started (``None``: an external database).
    postgres_data: str | None = None
    postgres_port: int | None = None
    started_at: str = ""

    def save(self, state: Path) -> None:
        """Write ``STATE/cluster.json``."""
        (state / "cluster.json").write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, state: Path) -> Cluster | None:
        """The cluster recorded in ``STATE/cluster.json``, if any."""
        path = state / "cluster.json"
        if not path.is_file():
            return None
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        processes = [Started(**p) for p in data.pop("processes")]
        return cls(processes=processes, **data)

    def process(self, name: str) -> Started:
        """The started process called ``name`` (``app1``, ``worker``, ``haproxy``)."""
        return next(p for p in self.processes if p.name == name)


# -- processes --


def _ticks(pid: int) -> int | None:
    """A process's start time (clock ticks since boot), or ``None`` if it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may hold spaces: split after its closing parenthesis.
    return int(stat.rsplit(")", 1)[1].split()[19])


def alive(process: Started) -> bool:
    """Whether the process ``start`` began is still running (not a zombie, not a reused pid)."""
    try:
        state = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z" and _ticks(process.pid) == process.ticks


def _spawn(name: str, command: Sequence[str], env: dict[str, str], logs: Path, port: int | None = None) -> Started:
    log = logs / f"{name}.log"
    with log.open("ab") as out:
        child = subprocess.Popen(
            list(command),
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop ends it and its children, nothing else
        )
    ticks = _ticks(child.pid)
    if ticks is None:
        raise ClusterError(f"{name} exited at once: {_tail(log)}")
    return Started(name=name, pid=child.pid, ticks=ticks, log=str(log), port=port)


def _end(process: Started) -> None:
    """SIGTERM to the process's group, SIGKILL after ``STOP_S`` s; only if it is still the one started."""
    if not alive(process):
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + STOP_S
    while alive(process) and time.monotonic() < deadline:
        _reap(process.pid)
        time.sleep(0.1)
    if alive(process):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            return
    _reap(process.pid)


def _reap(pid: int) -> None:
    # A child of this very process (a failed start) is reaped here; any other pid is not ours to wait for.
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def _tail(log: Path, size: int = 1500) -> str:
    try:
        return log.read_text(encoding="utf-8", errors="replace")[-size:].strip()
    except OSError:
        return "(no log)"


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str, timeout: float = 2.0) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as reply:
            body: bytes = reply.read()
            return body.decode("utf-8", errors="replace")
    except OSError:
        return None


# -- PostgreSQL --


def postgres_binaries() -> Path | None:
    """Debian's PostgreSQL binaries (15 preferred, else the newest installed), or ``None``."""
    if Path("/usr/lib/postgresql/15/bin/pg_ctl").is_file():
        return Path("/usr/lib/postgresql/15/bin")
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


def _as_postgres(command: Sequence[str]) -> list[str]:
    # PostgreSQL refuses to run as root: as root, its tools run as the postgres user.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else list(command)


def _run(
    command: Sequence[str], what: str, timeout: float, *, env: dict[str, str] | None = None, stdin: str = ""
) -> str:
    try:
        done = subprocess.run(
            list(command), input=stdin, capture_output=True, text=True, timeout=timeout, env=env, cwd=ROOT, check=False
        )
    except subprocess.TimeoutExpired:
        raise ClusterError(f"{what} did not finish within {timeout:g} s") from None
    if done.returncode != 0:
        raise ClusterError(f"{what} failed ({done.returncode}): {(done.stderr or done.stdout).strip()[-1500:]}")
    return done.stdout


def _start_postgres(state: Path) -> tuple[str, str, int]:
    """Start (first: create) the state folder's PostgreSQL; returns ``(database URL, data folder, port)``."""
    binaries = postgres_binaries()
    if binaries is None:
        raise ClusterError("PostgreSQL is not installed (apt-get install -y postgresql-15), or pass --database-url")
    folder = state / "postgres"
    data = folder / "data"
    settings_file = folder / "settings.json"
    superuser = "postgres" if os.geteuid() == 0 else os.environ.get("USER", "postgres")
    first = not data.is_dir()
    if first:
        folder.mkdir(mode=0o700, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(folder, user="postgres", group="postgres")
            probe = subprocess.run(["runuser", "-u", "postgres", "--", "test", "-w", str(folder)], check=False)
            if probe.returncode != 0:
                raise ClusterError(
                    f"the postgres user cannot write {folder}: give it access to the state folder's path"
                )
        _run(
            _as_postgres(
                [
                    str(binaries / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    superuser,
                    "--auth-local=peer",  # the superuser only through the unix socket, as its OS user
                    "--auth-host=scram-sha-256",  # over TCP, a password: the app's role
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                ]
            ),
            "initdb",
            POSTGRES_START_S,
        )
        settings_file.write_text(json.dumps({"port": free_port()}), encoding="utf-8")
    port = int(json.loads(settings_file.read_text(encoding="utf-8"))["port"])
    options = f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={folder} -c max_connections=300"
    _run(
        _as_postgres(
            [
                str(binaries / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(folder / "server.log"),
                "-o",
                options,
                "-w",
                "-t",
                str(POSTGRES_START_S),
                "start",
            ]
        ),
        "pg_ctl start",
        POSTGRES_START_S + 10,
    )
    url_file = state / "database-url"
    if first or not url_file.is_file():
        password = secrets.token_urlsafe(24)
        # The password goes in on psql's standard input, never its command line.
        sql = (
            f"CREATE ROLE rinkside LOGIN PASSWORD '{password}';\n"
            "CREATE DATABASE rinkside OWNER rinkside ENCODING 'UTF8' TEMPLATE template0;\n"
        )
        psql = [str(binaries / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", str(folder), "-p", str(port)]
        _run(
            _as_postgres([*psql, "-U", superuser, "-d", "postgres", "-f", "-"]), "creating the database", 60, stdin=sql
        )
        _write_secret(url_file, f"postgresql+psycopg://rinkside:{password}@127.0.0.1:{port}/rinkside")
    return url_file.read_text(encoding="utf-8").strip(), str(data), port


def _write_secret(path: Path, value: str) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(value + "\n")


def _stop_postgres(data: str) -> None:
    binaries = postgres_binaries()
    if binaries is None or not Path(data, "postmaster.pid").exists():
        return
    command = _as_postgres([str(binaries / "pg_ctl"), "-D", data, "-m", "fast", "-w", "-t", str(STOP_S), "stop"])
    subprocess.run(command, capture_output=True, timeout=STOP_S + 10, check=False)


# -- the balancer --


def haproxy_config(*, bind: str, servers: Sequence[tuple[str, int]], stats_socket: Path, check_interval: str) -> str:
    """HAProxy's configuration: ``deploy/haproxy.cfg.template`` and one line per app server."""
    text = string.Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        bind=bind, stats_socket=str(stats_socket), check_interval=check_interval, server_maxconn=1000
    )
    lines = [f"    server {name} 127.0.0.1:{port} check cookie {name}" for name, port in servers]
    return text + "\n".join(lines) + "\n"


def server_states(stats_socket: Path) -> dict[str, str]:
    """Each app server's state as HAProxy's health checks see it (``UP``, ``DOWN``, ...)."""
    try:
        with socket.socket(socket.AF_UNIX) as client:
            client.settimeout(2)
            client.connect(str(stats_socket))
            client.sendall(b"show stat\n")
            chunks = []
            while chunk := client.recv(65536):
                chunks.append(chunk)
    except OSError:
        return {}
    rows = b"".join(chunks).decode().splitlines()
    if not rows:
        return {}
    header = rows[0].lstrip("# ").split(",")
    states = {}
    for row in rows[1:]:
        values = dict(zip(header, row.split(","), strict=False))
        if values.get("pxname") == "app_servers" and values.get("svname") not in ("FRONTEND", "BACKEND"):
            states[values["svname"]] = values.get("status", "")
    return states


# -- warming the app servers --

#: Every page, opened once on each app server before the balancer sends it fans.
WARM_PAGES: Final = ("standings", "title-race", "nations", "overall", "qualification", "skater", "data")


def warm_up(ports: Sequence[int]) -> None:
    """Open every page once on each app server (the servers at once, each server's pages in turn).

    A fresh server imports the app's modules on its first runs; several first runs at once (a
    balancer handing a new server many fans, each session's script in a thread of its own)
    have failed with "partially initialized module" import errors. One run of each page first
    imports everything in one thread, and the first fans find warm caches.

    Raises:
        ClusterError: A page failed (the error it showed).
    """
    import asyncio

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from deploy.stream_client import SessionError, StreamSession

    async def one_server(port: int) -> None:
        for page in WARM_PAGES:
            session = StreamSession(f"http://127.0.0.1:{port}", page, "", timeout=APP_START_S)
            try:
                await session.open()
            except SessionError as error:
                raise ClusterError(f"warming the app server on port {port}, page {page}: {error}") from None
            finally:
                await session.close()

    async def every_server() -> None:
        await asyncio.gather(*(one_server(port) for port in ports))

    asyncio.run(every_server())


# -- start / stop / status --


def _environment(database_url: str, args: argparse.Namespace) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != DATABASE_URL_VARIABLE}
    env[DATABASE_URL_VARIABLE] = database_url
    if args.refresh_seconds is not None:
        env[REFRESH_VARIABLE] = f"{args.refresh_seconds:g}"
    if args.pool_size is not None:
        env[POOL_SIZE_VARIABLE] = str(args.pool_size)
    return env


def _database_url(given: str) -> str:
    if given.startswith("@"):
        return Path(given[1:]).read_text(encoding="utf-8").strip()
    return given


def _wait_until(what: str, seconds: float, ready: Any, failed: Any = None) -> None:
    deadline = time.monotonic() + seconds
    while not ready():
        if failed is not None and (reason := failed()):
            raise ClusterError(f"{what}: {reason}")
        if time.monotonic() > deadline:
            raise ClusterError(f"{what}: not ready within {seconds:g} s")
        time.sleep(0.2)


def start(args: argparse.Namespace) -> Cluster:
    """Bring the cluster up (see the module's docstring); on failure, stop what was started.

    Raises:
        ClusterError: A component did not start (which, why, and the end of its log).
    """
    state: Path = args.state_dir.resolve()
    state.mkdir(parents=True, exist_ok=True)
    logs = state / "logs"
    logs.mkdir(exist_ok=True)
    running = Cluster.load(state)
    if running is not None and any(alive(p) for p in running.processes):
        raise ClusterError(f"a cluster is already running from {state}: stop it first")
    cluster = Cluster(url="", started_at=datetime.now(UTC).isoformat(timespec="seconds"))
    try:
        if args.database_url:
            database_url = _database_url(args.database_url)
        else:
            database_url, cluster.postgres_data, cluster.postgres_port = _start_postgres(state)
            cluster.save(state)
        env = _environment(database_url, args)
        standings = console_script("standings", "standings")
        _run([*standings, "db", "upgrade"], "standings db upgrade", MIGRATE_S, env=env)
        seed = "from standings.storage.shipped import open_store; open_store().close()"
        _run([sys.executable, "-c", seed], "seeding the shipped data", SEED_S, env=env)

        servers = [(f"app{n}", free_port()) for n in range(1, args.servers + 1)]
        for name, app_port in servers:
            command = [*console_script("streamlit", "streamlit"), "run", "app.py", "--server.port", str(app_port)]
            command += ["--server.address", "127.0.0.1", "--server.headless", "true"]
            command += ["--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"]
            cluster.processes.append(_spawn(name, command, env, logs, app_port))
            cluster.save(state)
        for process in cluster.processes:
            _wait_until(
                f"app server {process.name}",
                APP_START_S,
                lambda p=process: _get(f"http://127.0.0.1:{p.port}/_stcore/health") == "ok",
                lambda p=process: None if alive(p) else f"exited: {_tail(Path(p.log))}",
            )

        warm_up([process.port for process in cluster.processes if process.port is not None])

        if not args.no_worker:
            worker = [*standings, "sync", "--circuit", "lt-wc", "--watch"]
            worker += ["--interval", f"{args.sync_interval:g}", "--idle-interval", f"{args.idle_interval:g}"]
            if args.season:
                worker += ["--season", args.season]
            if args.api_url:
                worker += ["--api-url", args.api_url]
            worker += ["--cache", str(state / "isu-api-cache")]
            cluster.processes.append(_spawn("worker", worker, env, logs))
            cluster.save(state)

        # Chosen only now: a port picked before the minutes above may meanwhile serve an outgoing connection.
        port = args.port or free_port()
        cluster.url = f"http://127.0.0.1:{port}"
        stats = state / "haproxy.sock"
        config = state / "haproxy.cfg"
        config.write_text(
            haproxy_config(
                bind=f"127.0.0.1:{port}", servers=servers, stats_socket=stats, check_interval=args.check_interval
            ),
            encoding="utf-8",
        )
        haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
        _run([haproxy, "-c", "-q", "-f", str(config)], "checking haproxy.cfg", 30)
        balancer = _spawn("haproxy", [haproxy, "-db", "-f", str(config)], env, logs, port)
        cluster.processes.append(balancer)
        cluster.save(state)
        names = {name for name, _ in servers}

        def all_up() -> bool:
            states = server_states(stats)
            return set(states) == names and all(s.startswith("UP") for s in states.values())

        _wait_until(
            "haproxy's health checks",
            BALANCER_S,
            lambda: all_up() and _get(f"{cluster.url}/_stcore/health") == "ok",
            lambda: None if alive(balancer) else f"exited: {_tail(Path(balancer.log))}",
        )
    except BaseException:
        stop_cluster(state, cluster)
        raise
    return cluster


def stop_cluster(state: Path, cluster: Cluster | None = None) -> list[str]:
    """End what ``start`` started from ``state`` (the balancer first, PostgreSQL last); returns what was ended."""
    cluster = cluster or Cluster.load(state)
    if cluster is None:
        return []
    ended = []
    order = {"haproxy": 0, "worker": 1}
    for process in sorted(cluster.processes, key=lambda p: order.get(p.name, 2)):
        if alive(process):
            _end(process)
            ended.append(process.name)
    if cluster.postgres_data is not None:
        _stop_postgres(cluster.postgres_data)
        ended.append("postgres")
    (state / "cluster.json").unlink(missing_ok=True)
    return ended


def status(state: Path) -> dict[str, Any]:
    """Each started process (running or not), HAProxy's view of the app servers, and the URL."""
    cluster = Cluster.load(state)
    if cluster is None:
        return {"running": False}
    return {
        "running": any(alive(p) for p in cluster.processes),
        "url": cluster.url,
        "processes": {p.name: {"pid": p.pid, "alive": alive(p), "port": p.port} for p in cluster.processes},
        "app_servers": server_states(state / "haproxy.sock"),
        "balancer_health": _get(f"{cluster.url}/_stcore/health"),
    }


def check(state: Path, page: str, query: str) -> str:
    """Open a page through the balancer as a fan's tab does; returns a line saying how it went."""
    import asyncio

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from deploy.stream_client import StreamSession

    cluster = Cluster.load(state)
    if cluster is None:
        raise ClusterError(f"no cluster started from {state}")
    session = StreamSession(cluster.url, page, query)

    async def visit() -> str:
        run = await session.open()
        await session.close()
        chart = f"first chart {run.first_chart:.2f} s, " if run.first_chart is not None else "no chart, "
        return f"{page}?{query} on {session.server}: {chart}run {run.finished or 0:.2f} s"

    return asyncio.run(visit())


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cluster.py", description="Rinkside's hosted shape on one machine.")
    commands = parser.add_subparsers(dest="command", required=True)
    up = commands.add_parser("start", help="start PostgreSQL, the app servers, the worker and HAProxy")
    up.add_argument("--servers", type=int, default=3, help="app servers (Streamlit processes)")
    up.add_argument("--port", type=int, default=0, help="the balancer's port on 127.0.0.1 (default: a free one)")
    up.add_argument("--database-url", help="use this database (a URL, or @FILE holding it) instead of starting one")
    up.add_argument("--api-url", help="the ISU results API (default: the ISU's)")
    up.add_argument("--season", help="the season the worker follows (default: the current one)")
    up.add_argument("--sync-interval", type=float, default=60.0, help="worker: seconds between syncs during an event")
    up.add_argument("--idle-interval", type=float, default=3600.0, help="worker: seconds between syncs between events")
    up.add_argument("--no-worker", action="store_true", help="start no sync worker")
    up.add_argument("--refresh-seconds", type=float, help=f"the pages' live refresh ({REFRESH_VARIABLE}; 0: off)")
    up.add_argument("--pool-size", type=int, help=f"database connections per app server ({POOL_SIZE_VARIABLE})")
    up.add_argument("--check-interval", default="1s", help="HAProxy's health check interval")
    for name, text in (("stop", "stop everything start started"), ("status", "what runs"), ("check", "open a page")):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("--state-dir", type=Path, required=True)
        if name == "check":
            sub.add_argument("--page", default="standings")
            sub.add_argument("--query", default="")
    up.add_argument("--state-dir", type=Path, required=True, help="pids, logs, the database (STATE/postgres)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit code (0 done, 1 failed)."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "start":
            cluster = start(args)
            sys.stdout.write(f"{cluster.url}\n")
        elif args.command == "stop":
            ended = stop_cluster(args.state_dir.resolve())
            sys.stdout.write(f"stopped: {', '.join(ended) or 'nothing was running'}\n")
        elif args.command == "status":
            sys.stdout.write(json.dumps(status(args.state_dir.resolve()), indent=2) + "\n")
        else:
            sys.stdout.write(check(args.state_dir.resolve(), args.page, args.query) + "\n")
    except ClusterError as error:
        sys.stderr.write(f"cluster.py: {error}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
