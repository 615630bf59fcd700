"""Load: concurrent reviewers against the production server (granian) on a temporary database.

Seeds a new database (``--articles`` articles of ``--claims-per-article`` claims with exact
offsets, ``--reviewers`` reviewers and one editor, each article assigned to 3 reviewers), starts
``factcheck serve`` on a free port of 127.0.0.1, logs every reviewer in (real POST /login with
its CSRF token) and drives them concurrently for ``--seconds``. Each reviewer has two browser
tabs; each step, in one of them, either opens the review page of a claim of one of their
articles (``GET /articles/<id>?claim=<cid>``) or saves a verdict the way the page's script does
(``POST /claims/<cid>/verdict`` with ``Accept: application/json`` and ``X-CSRFToken``), naming
the version that tab last saw. Half of the steps go to a few hot claims shared by the reviewers
of an article, so a tab's version is often stale: the 409 is a refused stale save (not an
error) and the tab retries once with the ``current.version`` it was sent, as the page does.

Prints requests/s, per-endpoint counts and p50/p95/p99 latency, errors (any status other than
2xx, 3xx and 409, and failed connections), refused stale saves, verdict saves/s, and checks that
there are no lost updates: for every (claim, reviewer), the stored verdict is the last one the
server accepted (200) and its version is the number of accepted changes.
Targets (2 cores, load generator on the same machine): 30 reviewers, review page p99 <= 100 ms,
>= 300 verdict saves/s, zero errors, zero lost updates.

    .venv/bin/python bench/load.py                  # 30 reviewers, 30 s, half saves
    .venv/bin/python bench/load.py --mix 1          # saves only: the most saves/s
    .venv/bin/python bench/load.py --workers 2      # serve --workers 2: both cores
    .venv/bin/python bench/load.py --think-ms 1000  # reviewers pause ~1 s between steps
    .venv/bin/python bench/load.py --seconds 10 --reviewers 10
    .venv/bin/python bench/load.py --workers 2 --server waitress   # the fallback server
    .venv/bin/python bench/load.py --profile        # per-request cProfile (waitress), top functions
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

import serving  # (bench/serving.py: bench/ is on the path of a script run from it)

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "load-test-password"
RATINGS = ("true", "mostly-true", "half-true", "mostly-false", "false", "misleading")
REVIEWERS_PER_ARTICLE = 3
HOT_PER_ARTICLE = 3  # the first claims of each article are the hot ones
TABS = 2

PLACES = "Harbour City|the northern region|Lakeside|the capital|Riverton|the coastal district"
SUBJECTS = (
    "The city council|The transport authority|The finance ministry|The regional hospital board|"
    "The statistics office|The mayor's office|The teachers' union|The port authority"
)
VERBS = "said|reported|announced|estimated|confirmed|claimed|wrote in a statement"
THINGS = (
    "unemployment fell to {p} per cent|the budget will rise by {m} million euros|"
    "{n} new homes were built last year|crime dropped by {p} per cent since {y}|"
    "waiting times grew to {n} days|the project will cost {m} million euros|"
    "ticket prices went up {p} per cent|{n} jobs were lost in {y}|"
    "average rents climbed to {n} euros a month|emissions are down {p} per cent on {y}"
)
FILLER = (
    "Residents who spoke to this newspaper were divided.|The debate is expected to continue "
    "next month.|Officials did not respond to a request for comment.|Critics called the plan "
    "rushed.|The committee will meet again after the summer break."
)


def _pick(rng: random.Random, options: str) -> str:
    return rng.choice(options.split("|"))


def _claim_sentence(rng: random.Random) -> tuple[str, int, int]:
    """A sentence with a figure; also the offsets of its figure clause (a nested claim)."""
    fact = _pick(rng, THINGS).format(
        p=f"{rng.randint(1, 40)}.{rng.randint(0, 9)}",
        m=rng.randint(2, 900),
        n=f"{rng.randint(120, 90_000):,}",
        y=rng.randint(1995, 2024),
    )
    head = f"{_pick(rng, SUBJECTS)} {_pick(rng, VERBS)} that "
    sentence = f"{head}{fact} in {_pick(rng, PLACES)}."
    return sentence, len(head), len(head) + len(fact)


def make_article(rng: random.Random, number: int, n_claims: int) -> tuple[dict, list[dict]]:
    """A news-like article and its claims: sentences, some with a nested figure clause."""
    nested = max(1, n_claims // 10)
    body = f"Council report {number}\n\nBy Jo Example, City Desk\n\n"
    claims: list[dict] = []
    sentences = 0
    while len(claims) < n_claims:
        if sentences and sentences % 6 == 0:
            body += "\n\n"
        sentences += 1
        if rng.random() < 0.15:
            body += _pick(rng, FILLER) + " "
            continue
        sentence, inner_start, inner_end = _claim_sentence(rng)
        start = len(body)
        body += sentence + " "
        score = round(rng.random(), 3)
        claims.append(
            {
                "start": start,
                "end": start + len(sentence),
                "quote": sentence,
                "text": sentence,
                "kind": ["quantity"],
                "score": score,
                "checkworthy": score >= 0.4,
            }
        )
        if len(claims) < n_claims and len(claims) % (n_claims // nested or 1) == 0:
            quote = sentence[inner_start:inner_end]
            claims.append(
                {
                    "start": start + inner_start,
                    "end": start + inner_end,
                    "quote": quote,
                    "text": quote,
                    "kind": ["quantity"],
                    "score": score,
                    "checkworthy": True,
                }
            )
    body = body.rstrip() + "\n"
    article = {
        "title": f"Council report {number}: figures under scrutiny",
        "body": body,
        "url": f"https://news.example/{number}",
        "publisher": ("Daily Planet", "Coastal Courier", "Metro News")[number % 3],
        "author": "Jo Example",
        "published": f"2025-0{1 + number % 9}-1{number % 10}",
    }
    return article, claims


def seed(path: str, n_articles: int, per_article: int, n_reviewers: int) -> dict:
    """Fill a new database; return the reviewers' names, ids and assigned articles' claims."""
    sys.path.insert(0, str(ROOT))
    from argon2 import PasswordHasher

    from factcheck import store
    from factcheck.db import connect, migrate
    from factcheck.store import users as store_users

    # Seeding only: cheap hashes (the server checks them, then rehashes with the real cost).
    store_users._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    rng = random.Random(4)
    db = connect(path)
    migrate(db)
    editor = store.create_user(db, "editor", PASSWORD, role="editor")
    reviewers = [
        store.create_user(db, f"reviewer{i:02d}", PASSWORD, role="reviewer")
        for i in range(1, n_reviewers + 1)
    ]
    articles = []
    for number in range(1, n_articles + 1):
        article, claims = make_article(rng, number, per_article)
        articles.append(store.create_article(db, article, claims, editor["id"]))
    assigned: dict[int, list[int]] = defaultdict(list)
    for index, article_id in enumerate(articles):
        chosen = {
            reviewers[(index + k) % n_reviewers]["id"]
            for k in range(min(REVIEWERS_PER_ARTICLE, n_reviewers))
        }
        store.set_assignments(db, article_id, sorted(chosen), editor["id"])
        for user_id in chosen:
            assigned[user_id].append(article_id)
    claims_of = {
        article_id: [c["id"] for c in store.list_claims(db, article_id)] for article_id in articles
    }
    db.close()
    plan = {}
    for reviewer in reviewers:
        own = sorted(assigned[reviewer["id"]])
        hot = [(a, c) for a in own[:2] for c in claims_of[a][:HOT_PER_ARTICLE]]
        every = [(a, c) for a in own for c in claims_of[a]]
        plan[reviewer["username"]] = {"id": reviewer["id"], "hot": hot, "all": every}
    return plan


# The client -----------------------------------------------------------------------------------

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
VERSION_RE = re.compile(r'name="version" type="hidden" value="(\d*)"')
# The same on the undecoded page, from the verdict form on (its token and version come first).
FORM_MARK = b'id="verdict-form"'
CSRF_BYTES_RE = re.compile(rb'name="csrf_token" type="hidden" value="([^"]+)"')
VERSION_BYTES_RE = re.compile(rb'name="version" type="hidden" value="(\d*)"')


class ServerClosed(ConnectionError):
    """The server closed the connection before (or while) answering."""


class Client:
    """One browser: a keep-alive HTTP/1.1 connection and a session cookie.

    A small client on a raw socket (http.client parses each response's headers with the email
    package): the load generator runs on the same two cores as the server, and every
    microsecond it spends is taken from the server. It reads exactly what the server sends
    (``Content-Length`` or chunked bodies), keeps the ``session`` cookie, and opens a new
    connection when the server answers ``Connection: close`` or has closed an idle one.
    """

    def __init__(self, port: int):
        self.port = port
        self.sock: socket.socket | None = None
        self.buffer = b""
        self.cookie = ""
        self.token = ""

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
        self.sock, self.buffer = None, b""

    def _fill(self) -> None:
        chunk = self.sock.recv(262144)  # type: ignore[union-attr]
        if not chunk:
            raise ServerClosed("connection closed by the server")
        self.buffer += chunk

    def _take(self, size: int) -> bytes:
        while len(self.buffer) < size:
            self._fill()
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def _line(self) -> bytes:
        while (end := self.buffer.find(b"\r\n")) < 0:
            self._fill()
        line, self.buffer = self.buffer[:end], self.buffer[end + 2 :]
        return line

    def _response(self, method: str) -> tuple[int, dict[str, str], list[str], bytes]:
        while (end := self.buffer.find(b"\r\n\r\n")) < 0:
            self._fill()
        head, self.buffer = self.buffer[:end].decode("latin-1"), self.buffer[end + 4 :]
        status_line, *lines = head.split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        headers: dict[str, str] = {}
        cookies = []
        for line in lines:
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                cookies.append(value)
            headers[name] = value
        if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
            body = b""
        elif "chunked" in headers.get("transfer-encoding", "").lower():
            parts = []
            while size := int(self._line().split(b";", 1)[0], 16):
                parts.append(self._take(size))
                self._take(2)
            while self._line():  # (trailers, then the empty line)
                pass
            body = b"".join(parts)
        elif "content-length" in headers:
            body = self._take(int(headers["content-length"]))
        else:  # the body ends when the server closes
            try:
                while True:
                    self._fill()
            except ServerClosed:
                pass
            body, self.buffer = self.buffer, b""
            headers["connection"] = "close"
        return status, headers, cookies, body

    def request(
        self, method: str, path: str, form: dict | None = None, headers: dict | None = None
    ) -> tuple[int, bytes]:
        body = urllib.parse.urlencode(form).encode() if form is not None else b""
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}"]
        if self.cookie:
            lines.append(f"Cookie: {self.cookie}")
        if form is not None:
            lines.append("Content-Type: application/x-www-form-urlencoded")
            lines.append(f"Content-Length: {len(body)}")
        lines.extend(f"{name}: {value}" for name, value in (headers or {}).items())
        message = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        for attempt in (1, 2):
            if self.sock is None:
                self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=30)
                self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            try:
                self.sock.sendall(message)
                status, answer, cookies, data = self._response(method)
            except (OSError, ValueError, IndexError):
                self.close()
                if attempt == 2 or method != "GET":
                    raise
                continue
            for value in cookies:
                if value.startswith("session="):
                    self.cookie = value.split(";", 1)[0]
            if answer.get("connection", "").lower() == "close":
                self.close()
            return status, data
        raise AssertionError("unreachable")

    def login(self, username: str) -> None:
        status, page = self.request("GET", "/login")
        token = CSRF_RE.search(page.decode()).group(1)
        form = {"username": username, "password": PASSWORD, "csrf_token": token, "next": ""}
        status, page = self.request("POST", "/login", form)
        if status != 302:
            raise RuntimeError(f"login of {username} answered {status}: {page[:300]!r}")


class Reviewer(threading.Thread):
    """A simulated reviewer: two tabs, page views and verdict saves until the deadline."""

    def __init__(self, port: int, username: str, plan: dict, args: argparse.Namespace, seed: int):
        super().__init__(daemon=True)
        self.client = Client(port)
        self.username = username
        self.plan = plan
        self.args = args
        self.rng = random.Random(seed)
        self.tabs: list[dict[int, str]] = [{} for _ in range(TABS)]  # claim -> version seen
        self.samples: list[tuple[str, int, float]] = []  # (endpoint, status, seconds)
        self.accepted: dict[int, list[tuple[str, str, str, int]]] = defaultdict(list)
        self.unsure: set[int] = set()  # saves with no answer: state unknown
        self.failures: list[str] = []
        self.saves = 0
        self.start_at = 0.0
        self.deadline = 0.0

    def timed(self, endpoint: str, method: str, path: str, **kw: object) -> tuple[int, bytes]:
        began = time.perf_counter()
        try:
            status, data = self.client.request(method, path, **kw)  # type: ignore[arg-type]
        except Exception as exc:  # a failed connection is an error, not a crash
            self.samples.append((endpoint, 0, time.perf_counter() - began))
            if len(self.failures) < 5:
                self.failures.append(f"{endpoint}: {exc!r}")
            return 0, b""
        self.samples.append((endpoint, status, time.perf_counter() - began))
        if (status >= 400 and status != 409) and len(self.failures) < 5:
            self.failures.append(f"{endpoint} {path}: {status} {data[:200]!r}")
        return status, data

    def view(self, tab: dict[int, str], article_id: int, claim_id: int) -> None:
        status, data = self.timed("review page", "GET", f"/articles/{article_id}?claim={claim_id}")
        if status != 200:
            return
        form_at = data.index(FORM_MARK)
        self.client.token = CSRF_BYTES_RE.search(data, form_at).group(1).decode()
        tab[claim_id] = VERSION_BYTES_RE.search(data, form_at).group(1).decode()

    def save(self, tab: dict[int, str], claim_id: int) -> None:
        self.saves += 1
        rating = self.rng.choice(RATINGS)
        rationale = (
            f"The **{rating}** rating follows the statistics office's table "
            f"(save {self.saves} by {self.username}). See the [source](https://stats.example/t/"
            f"{claim_id}) and the minutes of the meeting."
        )
        url = f"https://stats.example/t/{claim_id}/{self.saves}"
        form = {
            "rating": rating,
            "rationale": rationale,
            "sources-0-url": url,
            "sources-0-title": "Statistics table",
            "sources-0-publisher": "Statistics Office",
            "sources-0-excerpt": "Table 4, row 12.",
            "sources-0-stance": self.rng.choice(("supports", "refutes", "context")),
            "sources-0-accessed": "2025-05-06",
            "version": tab.get(claim_id, ""),
        }
        headers = {"Accept": "application/json", "X-CSRFToken": self.client.token}
        path = f"/claims/{claim_id}/verdict"
        for attempt in (1, 2):
            status, data = self.timed("verdict save", "POST", path, form=form, headers=headers)
            if status == 200:
                version = json.loads(data)["version"]
                tab[claim_id] = str(version)
                self.accepted[claim_id].append((rating, rationale, url, version))
                if self.args.panel:
                    self.timed("panel", "GET", f"/claims/{claim_id}/panel")
                return
            if status == 409 and attempt == 1:
                form["version"] = str(json.loads(data)["current"]["version"])
                continue
            if status == 0 or status >= 500:
                self.unsure.add(claim_id)
            return

    def run(self) -> None:
        while time.perf_counter() < self.start_at:
            time.sleep(0.001)
        hot, every = self.plan["hot"], self.plan["all"]
        while time.perf_counter() < self.deadline:
            article_id, claim_id = self.rng.choice(hot if self.rng.random() < 0.5 else every)
            tab = self.tabs[self.rng.randrange(TABS)]
            if not self.client.token or self.rng.random() >= self.args.mix:
                self.view(tab, article_id, claim_id)
            else:
                self.save(tab, claim_id)
            if self.args.think_ms:  # a person reading: uniform 0.5 to 1.5 times the mean
                time.sleep(self.args.think_ms / 1000 * self.rng.uniform(0.5, 1.5))


# The server -----------------------------------------------------------------------------------

PROFILED_SERVER = """
import sys, waitress
from werkzeug.middleware.profiler import ProfilerMiddleware
from factcheck import create_app
app = create_app({"DATABASE": sys.argv[1]})
waitress.serve(ProfilerMiddleware(app, stream=None, profile_dir=sys.argv[4]),
               host="127.0.0.1", port=int(sys.argv[2]), threads=int(sys.argv[3]))
"""


def start_server(
    path: str, port: int, args: argparse.Namespace, workdir: str, log
) -> subprocess.Popen:
    env = dict(os.environ, FACTCHECK_INSTANCE_PATH=os.path.join(workdir, "instance"))
    if args.profile:
        command = [
            sys.executable,
            "-c",
            PROFILED_SERVER,
            path,
            str(port),
            str(args.threads),
            os.path.join(workdir, "profiles"),
        ]
        os.makedirs(command[-1])
    else:
        command = [
            sys.executable,
            "-c",
            "from factcheck.cli import cli; cli(prog_name='factcheck')",
            "--db",
            path,
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-demo",
        ]
        if args.threads:
            command += ["--threads", str(args.threads)]
        if args.workers > 1:
            command += ["--workers", str(args.workers)]
        if args.server:
            command += ["--server", args.server]
    server = subprocess.Popen(command, cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(300):
        if server.poll() is not None:
            raise RuntimeError("the server exited at start")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return server
        time.sleep(0.05)
    raise RuntimeError("the server did not start listening")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its live child processes (Linux), or NaN."""
    total = 0.0
    try:
        pids = [pid]
        for entry in os.listdir("/proc"):
            if entry.isdigit() and entry != str(pid):
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if stat[1] == str(pid):  # (field 4, the parent's id)
                    pids.append(int(entry))
        for one in pids:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return float("nan")
    return total


# Figures --------------------------------------------------------------------------------------


def percentile(sorted_values: list[float], share: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(share * len(sorted_values) + 0.5) - 1))
    return sorted_values[index]


def check_lost_updates(path: str, reviewers: list[Reviewer]) -> tuple[int, int, int]:
    """(verdicts checked, mismatches, audit mismatch) between the database and accepted saves."""
    db = sqlite3.connect(path)
    stored = {
        (row[0], row[1]): row[2:]
        for row in db.execute(
            "SELECT v.claim_id, v.user_id, v.rating, v.rationale, v.version,"
            " (SELECT group_concat(url) FROM sources s WHERE s.verdict_id = v.id)"
            " FROM verdicts v"
        )
    }
    audited = db.execute("SELECT count(*) FROM audit_log WHERE table_name = 'verdicts'").fetchone()
    db.close()
    checked = bad = accepted_total = 0
    expected_keys = set()
    for reviewer in reviewers:
        for claim_id, writes in reviewer.accepted.items():
            key = (claim_id, reviewer.plan["id"])
            expected_keys.add(key)
            accepted_total += len(writes)
            if claim_id in reviewer.unsure:
                continue
            checked += 1
            rating, rationale, url, version = writes[-1]
            versions_ok = [w[3] for w in writes] == list(range(1, len(writes) + 1))
            if stored.get(key) != (rating, rationale, len(writes), url) or not versions_ok:
                bad += 1
                if bad <= 3:
                    print(
                        f"  LOST UPDATE claim {claim_id} user {key[1]}: stored "
                        f"{stored.get(key)!r}, expected {(rating, len(writes), url)!r}"
                    )
    unsure = {(c, r.plan["id"]) for r in reviewers for c in r.unsure}
    extra = [key for key in stored if key not in expected_keys and key not in unsure]
    bad += len(extra)
    return checked, bad, audited[0] - accepted_total if not unsure else 0


def report(reviewers: list[Reviewer], elapsed: float, path: str) -> bool:
    by_endpoint: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for reviewer in reviewers:
        for endpoint, status, seconds in reviewer.samples:
            by_endpoint[endpoint].append((status, seconds))
    total = sum(len(v) for v in by_endpoint.values())
    errors = sum(
        1
        for v in by_endpoint.values()
        for status, _ in v
        if status == 0 or (status >= 400 and status != 409)
    )
    stale = sum(1 for status, _ in by_endpoint.get("verdict save", []) if status == 409)
    saved = sum(1 for status, _ in by_endpoint.get("verdict save", []) if status == 200)
    print(f"\n{total:,} requests in {elapsed:.1f} s: {total / elapsed:,.0f} requests/s")
    columns = ("count", "per s", "p50 ms", "p95 ms", "p99 ms", "max ms")
    print(f"{'endpoint':<14}" + "".join(f"{name:>9}" for name in columns))
    page_p99 = float("nan")
    for endpoint, values in sorted(by_endpoint.items()):
        times = sorted(seconds * 1000 for _, seconds in values)
        p99 = percentile(times, 0.99)
        if endpoint == "review page":
            page_p99 = p99
        figures = (percentile(times, 0.5), percentile(times, 0.95), p99, times[-1])
        print(
            f"{endpoint:<14}{len(values):>9,}{len(values) / elapsed:>9.0f}"
            + "".join(f"{ms:>9.1f}" for ms in figures)
        )
    means = sorted(
        sum(seconds for _, _, seconds in r.samples) / len(r.samples) * 1000
        for r in reviewers
        if r.samples
    )
    if means:
        print(
            f"mean latency per reviewer: lowest {means[0]:.1f} ms, median "
            f"{means[len(means) // 2]:.1f} ms, highest {means[-1]:.1f} ms"
        )
    print(f"verdict saves accepted: {saved:,} ({saved / elapsed:,.0f}/s)")
    print(f"refused stale saves (409): {stale:,}")
    print(f"errors: {errors:,}")
    for reviewer in reviewers:
        for failure in reviewer.failures[:2]:
            print(f"  {reviewer.username}: {failure}")
    checked, lost, audit_gap = check_lost_updates(path, reviewers)
    print(
        f"lost updates: {lost} ({checked:,} verdicts checked against the accepted saves"
        f"{'' if audit_gap == 0 else f'; audit log off by {audit_gap}'})"
    )
    ok = errors == 0 and lost == 0 and audit_gap == 0
    targets = []
    if "review page" in by_endpoint:
        targets.append(
            f"review page p99 {page_p99:.0f} ms (<= 100): {'ok' if page_p99 <= 100 else 'MISSED'}"
        )
    targets.append(
        f"saves/s {saved / elapsed:.0f} (>= 300): {'ok' if saved / elapsed >= 300 else 'MISSED'}"
    )
    print("targets: " + "; ".join(targets))
    return ok


def print_profile(directory: str, top: int = 35) -> None:
    import pstats

    files = [os.path.join(directory, name) for name in os.listdir(directory)]
    if not files:
        return
    stats = pstats.Stats(files[0])
    for name in files[1:]:
        stats.add(name)
    print(f"\nprofile of {len(files):,} requests (cumulative, in the worker threads):")
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reviewers", type=int, default=30, help="concurrent reviewers")
    parser.add_argument("--seconds", type=float, default=30.0, help="duration of the load")
    parser.add_argument(
        "--mix", type=float, default=0.5, help="share of steps that save (1: saves only)"
    )
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--claims-per-article", type=int, default=50)
    parser.add_argument("--threads", type=int, default=0, help="server threads (default: serve's)")
    parser.add_argument(
        "--workers", type=int, default=1, help="server processes (serve --workers; default 1)"
    )
    parser.add_argument(
        "--server", choices=("granian", "waitress"), help="serve --server (default: serve's)"
    )
    parser.add_argument(
        "--think-ms",
        type=float,
        default=0.0,
        help="mean pause of a reviewer between steps (default 0: closed loop, no think time)",
    )
    parser.add_argument(
        "--panel", action="store_true", help="refresh the panel after a save, as the page does"
    )
    parser.add_argument("--profile", action="store_true", help="profile the server's requests")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    if not 0 <= args.mix <= 1 or args.reviewers < 1 or args.seconds <= 0:
        parser.error("--mix is 0..1, --reviewers >= 1, --seconds > 0")
    if args.workers < 1 or args.think_ms < 0 or (args.profile and args.workers > 1):
        parser.error("--workers >= 1 (1 with --profile), --think-ms >= 0")
    args.threads = args.threads or (8 if args.profile else 0)

    workdir = tempfile.mkdtemp(prefix="factcheck-load-")
    path = os.path.join(workdir, "load.db")
    server = None
    try:
        began = time.perf_counter()
        plan = seed(path, args.articles, args.claims_per_article, args.reviewers)
        print(
            f"seeded {args.articles} articles, {args.articles * args.claims_per_article:,} claims, "
            f"{args.reviewers} reviewers + 1 editor in {time.perf_counter() - began:.1f} s "
            f"(nproc {os.cpu_count()})"
        )
        port = serving.free_port()
        log = open(os.path.join(workdir, "server.log"), "w+b")  # noqa: SIM115
        server = start_server(path, port, args, workdir, log)
        reviewers = [
            Reviewer(port, name, plan[name], args, seed=index)
            for index, name in enumerate(sorted(plan))
        ]
        began = time.perf_counter()
        logins = [threading.Thread(target=r.client.login, args=(r.username,)) for r in reviewers]
        for start in range(0, len(logins), 4):  # argon2 at full cost: 4 at a time
            for thread in logins[start : start + 4]:
                thread.start()
            for thread in logins[start : start + 4]:
                thread.join()
        print(
            f"{len(reviewers)} reviewers logged in in {time.perf_counter() - began:.1f} s; "
            f"running {args.seconds:g} s, {args.mix:.0%} saves, server threads "
            f"{args.threads or 'default'}, workers {args.workers}, "
            f"server {args.server or 'default'}"
            f"{f', think {args.think_ms:g} ms' if args.think_ms else ''}"
            f"{', profiled' if args.profile else ''}"
        )
        for reviewer in reviewers:  # each first opens a page in a tab (for its CSRF token)
            article_id, claim_id = reviewer.plan["all"][0]
            reviewer.view(reviewer.tabs[0], article_id, claim_id)
            reviewer.samples.clear()
        start_at = time.perf_counter() + 0.2
        server_cpu, client_cpu = cpu_seconds(server.pid), time.process_time()
        for reviewer in reviewers:
            reviewer.start_at, reviewer.deadline = start_at, start_at + args.seconds
            reviewer.start()
        for reviewer in reviewers:
            reviewer.join(args.seconds + 60)
        elapsed = time.perf_counter() - start_at
        server_cpu = cpu_seconds(server.pid) - server_cpu
        client_cpu = time.process_time() - client_cpu
        serving.stop(server, 5)
        served = sum(len(r.samples) for r in reviewers)
        print(
            f"CPU during the run: server {server_cpu:.1f} s ({server_cpu / elapsed:.0%} of one "
            f"core, {server_cpu / max(served, 1) * 1000:.2f} ms a request), load generator "
            f"{client_cpu:.1f} s ({client_cpu / elapsed:.0%})"
        )
        log.seek(0)
        queue_warnings = log.read().decode(errors="replace").count("Task queue depth")
        if queue_warnings:
            print(f"waitress task queue warnings: {queue_warnings}")
        ok = report(reviewers, elapsed, path)
        if args.profile:
            print_profile(os.path.join(workdir, "profiles"))
        return 0 if ok else 1
    finally:
        if server is not None:
            serving.stop(server, 5)
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
