#!/usr/bin/env python3
"""Fault bench (issue #22): PostgreSQL killed (`kill -9` of the postmaster) and restarted
again and again while residents' reports pour in through clients that retry with the same
idempotency key until they are told "stored". Reports what was confirmed, what was lost
(confirmed but not in the database: must be 0), what was stored twice (must be 0) and how
long each recovery took.

    python3 .ci/fault-bench.py --binary target/debug/gridgov --kills 100

Bounded: stops after --kills restarts or --max-minutes, whichever comes first. Needs
Debian's `postgresql` (run as root it uses the `postgres` user for the cluster, as
.ci/test.sh does). Everything runs on 127.0.0.1 in a temporary folder that is removed.
Standard library only.
"""

import argparse
import glob
import http.client
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid

MARK = "fault-bench"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A private PostgreSQL cluster on a free port."""

    def __init__(self, root):
        self.bin = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
        self.data = os.path.join(root, "pg")
        self.port = free_port()
        self.as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_pg:
            os.chmod(root, 0o777)
        subprocess.run(self.as_pg + [f"{self.bin}/initdb", "-D", self.data, "-A", "trust",
                                     "-U", "gridgov", "-E", "UTF8"],
                       check=True, stdout=subprocess.DEVNULL)
        self.url = f"postgres://gridgov@127.0.0.1:{self.port}/postgres"

    def start(self):
        """Starts the cluster; retries while the killed one's backends still hold memory."""
        for _ in range(100):
            r = subprocess.run(self.as_pg + [f"{self.bin}/pg_ctl", "-D", self.data, "-w", "-t", "30",
                                             "-l", os.path.join(self.data, "log"), "-o",
                                             f"-h 127.0.0.1 -p {self.port} -k {self.data} -c max_connections=100",
                                             "start"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if r.returncode == 0:
                return
            time.sleep(0.1)
        raise SystemExit("PostgreSQL did not start again; see " + os.path.join(self.data, "log"))

    def kill(self):
        with open(os.path.join(self.data, "postmaster.pid")) as f:
            pid = int(f.readline())
        os.kill(pid, signal.SIGKILL)
        while True:
            try:
                os.kill(pid, 0)
                time.sleep(0.01)
            except ProcessLookupError:
                return

    def stop(self):
        subprocess.run(self.as_pg + [f"{self.bin}/pg_ctl", "-D", self.data, "-m", "immediate", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def query(self, sql):
        out = subprocess.run(self.as_pg + [f"{self.bin}/psql", "-h", "127.0.0.1", "-p", str(self.port),
                                           "-U", "gridgov", "-d", "postgres", "-Atc", sql],
                             check=True, capture_output=True, text=True)
        return out.stdout.splitlines()


def multipart(fields):
    boundary = "fault-bench-" + uuid.uuid4().hex
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()) + f"--{boundary}--\r\n".encode()
    return f"multipart/form-data; boundary={boundary}", body


class Load:
    """Clients filing reports; each retries its report (same key) until it is stored."""

    def __init__(self, port, grids, clients):
        self.port, self.grids, self.clients = port, grids, clients
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.confirmed = {}  # key -> tracking code
        self.successes = []  # monotonic times of confirmations
        self.failures = {"503": 0, "other_status": 0, "network": 0}

    def run(self):
        self.threads = [threading.Thread(target=self.client, daemon=True) for _ in range(self.clients)]
        for t in self.threads:
            t.start()

    def client(self):
        while not self.stop.is_set():
            key = uuid.uuid4().hex
            fields = {"grid": random.choice(self.grids), "category": "sanitation",
                      "description": f"{MARK} {key} 垃圾桶满溢", "idempotency_key": key}
            ct, body = multipart(fields)
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                code = self.send(ct, body, key)
                if code:
                    with self.lock:
                        self.confirmed[key] = code
                        self.successes.append(time.monotonic())
                    break
                time.sleep(0.2)

    def send(self, ct, body, key):
        try:
            c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            c.request("POST", "/api/v1/public/reports", body,
                      {"Content-Type": ct, "Idempotency-Key": key, "Accept": "application/json"})
            r = c.getresponse()
            data = r.read()
            c.close()
        except OSError:
            with self.lock:
                self.failures["network"] += 1
            return None
        if r.status in (200, 201):
            return json.loads(data)["tracking_code"]
        with self.lock:
            self.failures["503" if r.status == 503 else "other_status"] += 1
        if r.status not in (503, 500, 408):
            print(f"unexpected answer {r.status}: {data[:200]!r}", file=sys.stderr)
        return None

    def first_success_after(self, t):
        with self.lock:
            later = [s for s in self.successes if s > t]
        return min(later) if later else None


def ready(port):
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        c.request("GET", "/readyz")
        ok = c.getresponse().status == 200
        c.close()
        return ok
    except OSError:
        return False


def wait_until(pred, limit):
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if pred():
            return time.monotonic()
        time.sleep(0.05)
    return None


def pct(values, p):
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", default="target/debug/gridgov")
    ap.add_argument("--kills", type=int, default=100)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--max-minutes", type=float, default=20)
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    root = tempfile.mkdtemp(prefix="gridgov-fault-")
    cluster = Cluster(root)
    server = None
    try:
        cluster.start()
        port = free_port()
        env = dict(os.environ, DATABASE_URL=cluster.url, GRIDGOV_DATA_DIR=os.path.join(root, "data"),
                   GRIDGOV_DEMO="1", LEPTOS_SITE_ADDR=f"127.0.0.1:{port}",
                   GRIDGOV_REPORT_LIMIT="100000000/1", RUST_LOG="error")
        log = open(os.path.join(root, "server.log"), "w")
        server = subprocess.Popen([binary], env=env, stdout=log, stderr=subprocess.STDOUT)
        if not wait_until(lambda: ready(port), 300):
            raise SystemExit("the server did not become ready; see " + log.name)
        grids = cluster.query("SELECT code FROM territory_nodes WHERE level = 'grid' AND retired_at IS NULL")
        load = Load(port, grids, args.clients)
        load.run()
        began = time.monotonic()
        rounds = []
        for i in range(args.kills):
            if time.monotonic() - began > args.max_minutes * 60:
                break
            time.sleep(random.uniform(1.0, 2.0))  # under load
            t_kill = time.monotonic()
            cluster.kill()
            cluster.start()
            t_db = time.monotonic()
            t_ready = wait_until(lambda: ready(port), 60)
            t_ok = wait_until(lambda: load.first_success_after(t_db) is not None, 60)
            first = load.first_success_after(t_db)
            rounds.append({"restart": t_db - t_kill,
                           "ready": (t_ready - t_db) if t_ready else None,
                           "report": (first - t_db) if t_ok and first else None})
            print(f"kill {i + 1}: database back in {t_db - t_kill:.2f} s, "
                  f"/readyz 200 after {rounds[-1]['ready']} s, first stored report after {rounds[-1]['report']} s",
                  flush=True)
        time.sleep(2)
        load.stop.set()
        for t in load.threads:
            t.join(timeout=330)
        stored = cluster.query(f"SELECT description FROM cases WHERE description LIKE '{MARK} %'")
        keys = [d.split(" ")[1] for d in stored]
        counts = {}
        for k in keys:
            counts[k] = counts.get(k, 0) + 1
        lost = [k for k in load.confirmed if k not in counts]
        twice = [k for k, n in counts.items() if n > 1]
        codes = set(cluster.query("SELECT tracking_code FROM cases"))
        wrong_code = [k for k, c in load.confirmed.items() if c not in codes]
        ready_t = [r["ready"] for r in rounds if r["ready"] is not None]
        report_t = [r["report"] for r in rounds if r["report"] is not None]
        restart_t = [r["restart"] for r in rounds]
        print(json.dumps({
            "kills": len(rounds), "clients": args.clients,
            "minutes": round((time.monotonic() - began) / 60, 1),
            "confirmed": len(load.confirmed), "stored": len(stored),
            "lost": len(lost), "stored_twice": len(twice), "tracking_code_missing": len(wrong_code),
            "refused_while_down": load.failures,
            "database_restart_s": {"median": round(statistics.median(restart_t), 2), "max": round(max(restart_t), 2)} if restart_t else None,
            "readyz_after_restart_s": {"median": round(statistics.median(ready_t), 2), "p95": round(pct(ready_t, 95), 2), "max": round(max(ready_t), 2)} if ready_t else None,
            "first_report_after_restart_s": {"median": round(statistics.median(report_t), 2), "p95": round(pct(report_t, 95), 2), "max": round(max(report_t), 2)} if report_t else None,
            "rounds_without_recovery": sum(1 for r in rounds if r["report"] is None),
        }, indent=2))
        if lost or twice or wrong_code or any(r["report"] is None for r in rounds):
            sys.exit(1)
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
