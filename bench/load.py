"""Requests per second on a province page: gunicorn with 2 workers on loopback, driven by wrk
(Debian's `apt-get install wrk`) or, when wrk is missing, by a small threaded client here; then
the peak memory (VmHWM) of each worker.

The pages are `LOAD_PAGES` below: the province dashboard of Hậu Giang (the ≥ 200 req/s target of
issue 10 is the dashboard's) and its matrix, each warm (their caches filled, as in use).
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.test import Client

from bench.harness import Result
from nongthon.places.models import Edition, Level, Unit

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
DURATION_S = 10
CONNECTIONS = 8
RPS_TARGET = 200.0
MEMORY_TARGET_MB = 300.0


LOAD_PAGES = {
    "province dashboard": lambda p: f"/tong-quan/{p.pk}/?on=2025-06-30",
    "province matrix": lambda p: f"/assessment/results/matrix/{p.pk}/2025/qd318-xa-ntm/",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _session_cookie() -> str:
    from nongthon.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="bench-reader"))
    return client.cookies["sessionid"].value


def _wait_up(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def _workers(master: int) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True, check=False
    )
    return [int(p) for p in out.stdout.split()]


def _peak_mb(pid: int) -> float:
    text = Path(f"/proc/{pid}/status").read_text()
    found = re.search(r"VmHWM:\s+(\d+) kB", text)
    return int(found.group(1)) / 1024 if found else 0.0


def _wrk(url: str, cookie: str) -> tuple[float, str]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION_S}s", "-H", f"Cookie: sessionid={cookie}",
         url],
        capture_output=True,
        text=True,
        check=True,
    )  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out.stdout).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out.stdout)
    if errors:
        raise RuntimeError(f"wrk: {errors.group(1)} error responses")
    return rps, "wrk"


def _python_load(port: int, path: str, cookie: str) -> tuple[float, str]:
    """Keep-alive connections in threads, for DURATION_S; counts 200 responses."""
    done, stop = [0] * CONNECTIONS, time.monotonic() + DURATION_S

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop:
            conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"HTTP {response.status}")
            done[i] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CONNECTIONS)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.monotonic() - started), "python client"


def bench_load(db: str) -> list[Result]:
    """Requests per second on province pages, 2 gunicorn workers; peak memory per worker."""
    province = Unit.objects.get(edition=Edition.PRE_2025, level=Level.PROVINCE, code="93")
    cookie = _session_cookie()
    port = _free_port()
    env = {**os.environ, "NONGTHON_DEBUG": "0", "NONGTHON_DB_CONN_MAX_AGE": "600"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "nongthon.wsgi:application", "-w", str(WORKERS),
         "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    results = []
    try:
        _wait_up(port)
        for name, page in LOAD_PAGES.items():
            path = page(province)
            warm = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            for _ in range(WORKERS * 3):
                warm.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
                response = warm.getresponse()
                response.read()
                assert response.status == 200, (path, response.status)
            if shutil.which("wrk"):
                rps, tool = _wrk(f"http://127.0.0.1:{port}{path}", cookie)
            else:
                rps, tool = _python_load(port, path, cookie)
            results.append(
                Result(
                    f"load: {name}, 2 gunicorn workers",
                    db,
                    1,
                    None,
                    None,
                    note=f"{path}, {CONNECTIONS} connections, {DURATION_S} s, {tool}",
                    value=rps,
                    unit="req/s",
                    value_target=RPS_TARGET,
                    higher_is_better=True,
                )
            )
        peaks = [_peak_mb(pid) for pid in _workers(server.pid)]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return results + [
        Result(
            "load: peak memory per worker",
            db,
            len(peaks),
            None,
            None,
            note="VmHWM of each worker: " + ", ".join(f"{p:.0f}" for p in peaks) + " MB",
            value=max(peaks) if peaks else None,
            unit="MB",
            value_target=MEMORY_TARGET_MB,
        ),
    ]
