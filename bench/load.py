"""Load benchmark: survey submissions while a department head reads their scorecard,
over HTTP to gunicorn on 127.0.0.1 (PostgreSQL, Redis, a real Celery worker).

In a throwaway database it makes one surveyed touchpoint and as many sent invitations as
the run needs, starts gunicorn (production settings, 4 workers) and a Celery worker, then:
1. sustained: RATE submissions/s (each a POST of a whole answer to its own personal link)
   for MINUTES, while the head's scorecard is read at 10 requests/s; it prints the count,
   5xx and p50/p95/p99 of each, and checks the stored answers equal the accepted ones;
2. peak: the highest rate 16 clients hold for a minute with p99 under 50 ms (stepped up
   by 50/s, 15 s at a time, until a step misses; above the best step by 10/s until one
   misses; a missed step is run once more, three times a climb at most, since one stall
   fails 15 s; the best then held for a minute), and what they reach flat out;
3. the ceiling: the same 16 clients against a bare one-row Django view (bench/bare_view.py)
   behind the same gunicorn settings, from the same run.
With `--own-questions 3` the survey also asks three questions of its own (a rating, a
single choice shown by a branch on the experience, and yes/no), all answered: compare its
held and flat-out rates, each relative to its run's bare view, with the fixed survey's.
Flat out, and against the bare view, it also prints the CPU a request took: the web
workers', PostgreSQL's, the Celery worker's and its own (the client's), read from /proc.

    DATABASE_URL=postgres://... REDIS_URL=redis://... make bench-load
    make bench-load BENCH_ARGS="--minutes 1"
    make bench-load BENCH_ARGS="--minutes 1 --own-questions 3"
"""

import argparse
import http.client
import os
import re
import socket
import statistics
import threading
import time
import urllib.parse

from django.contrib.auth import get_user_model
from django.utils import timezone
from harness import (
    CpuMeter,
    analyze,
    celery_worker,
    collect_static,
    free_port,
    gunicorn,
    throwaway_database,
)

from surveys.asking import links
from surveys.asking.intake import CustomerDetails, record_interactions
from surveys.counting.aggregation import rollups_drain_all
from surveys.models import (
    Invitation,
    InvitationStatus,
    Question,
    QuestionOption,
    Response,
    Survey,
)
from tests.worker import own_queue
from touchpoints.models import Channel, Department, Touchpoint

ANSWER = {"expectation": "6", "experience": "4", "csat": "4", "nps": "8", "effort": "3"}
PASSWORD = "bench-load-password"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PEAK_CLIENTS = 16
PEAK_P99_MS = 50
# Up to well past what this machine reaches flat out: the climb ends where it misses.
PEAK_STEPS = tuple(range(50, 1001, 50))
# Then 10/s at a time above the best step: a 50/s step is too coarse to compare two
# surveys within a tenth.
REFINE_BY = 10
REFINE_STEPS = PEAK_STEPS[0] // REFINE_BY - 1
STEP_SECONDS = 15
# A single stall (a checkpoint's flush, a big drain) fails a 15 s step: a step that misses
# is run once more, this many times a climb, before the climb ends there.
STEP_RETRIES = 3
HOLD_MOST = 6  # minute-long holds a climb settles with, at most
FLAT_OUT_MOST = 1500  # submissions/s the flat-out minute is given links for


def climb_links(steps, top: float) -> int:
    """Links enough for a climb over `steps`, its refinements and retries (at `top`/s at
    most) and its minute-long holds: each answer needs one of its own."""
    climbed = sum(steps) + (REFINE_STEPS + STEP_RETRIES) * top
    return int(STEP_SECONDS * climbed + 60 * HOLD_MOST * top)


# Links enough for every phase after the sustained one.
PEAK_LINKS = climb_links(PEAK_STEPS, PEAK_STEPS[-1]) + 60 * FLAT_OUT_MOST


# The answers to the three questions of --own-questions 3.
OWN_ANSWERS = {"q_q1": "4", "q_q2": "o2", "q_q3": "yes"}


def ask_own_questions(survey: Survey, count: int) -> dict:
    """Up to three questions of the survey's own, and the form fields that answer them."""
    kinds = [
        ("q1", "rating", {"scale_points": 5}),
        ("q2", "single", {"show_if": "experience", "show_if_test": "lte", "show_if_value": "5"}),
        ("q3", "yes_no", {}),
    ][:count]
    for position, (key, kind, extra) in enumerate(kinds, 1):
        question = Question.objects.create(
            survey=survey, version=1, key=key, position=position, kind=kind,
            wording={"en": f"Question {key}?"}, **extra,
        )  # fmt: skip
        if kind == "single":
            for number in (1, 2, 3):
                wording = {"en": f"Option {number}"}
                QuestionOption.objects.create(
                    question=question, key=f"o{number}", position=number, wording=wording
                )
    survey.asks_own_questions = bool(kinds)
    survey.save()
    keys = {key for key, _kind, _extra in kinds}
    return {name: value for name, value in OWN_ANSWERS.items() if name[2:] in keys}


def world(
    invitations: int, own_questions: int = 0, name: str = "Load"
) -> tuple[list[str], int, dict]:
    """A surveyed touchpoint in a department of its own (whose head is `<name>-head`,
    lowercased) and its sent invitations: their links' tokens, the department's id and
    the form fields of an answer."""
    survey = Survey.objects.create(name=f"{name} survey")
    answer = ANSWER | ask_own_questions(survey, own_questions)
    department = Department.objects.create(name=f"{name} service")
    touchpoint = Touchpoint.objects.create(
        name=f"{name} hotline", department=department, channel=Channel.PHONE,
        surveyed=True, survey=survey, survey_cap_days=0,
    )  # fmt: skip
    head = get_user_model().objects.create_user(f"{name.lower()}-head", password=PASSWORD)
    department.heads.add(head)
    now = timezone.now()
    for start in range(0, invitations, 1000):
        count = min(1000, invitations - start)
        record_interactions(
            [
                {
                    "touchpoint": touchpoint,
                    "customer": CustomerDetails(email=f"load-{start + i}@example.com"),
                    "occurred_at": now,
                    "outcome": "resolved",
                }
                for i in range(count)
            ]
        )
    sent = Invitation.objects.filter(interaction__touchpoint=touchpoint)
    sent.update(status=InvitationStatus.SENT, sent_at=now, sent_on=now.date())
    nonces = sent.order_by("pk").values_list("token_nonce", flat=True)
    return [links.token_for(nonce) for nonce in nonces], department.pk, answer


def settle() -> None:
    """The world's rollups counted before the clock starts: the first recount of its fresh
    invitations is not part of the measured minutes; and the planner's statistics, as
    autovacuum keeps them on a live server."""
    rollups_drain_all()
    analyze()


class Session:
    """One browser's cookies and CSRF token, its requests sent over a raw socket.

    HTTP/1.0, as a proxy such as nginx speaks to gunicorn: its sync workers close the
    connection after each response, so each request is a connection of its own, read to
    its end. The request is followed by a half-close, so the worker closes as soon as it
    has answered instead of waiting for this process to be scheduled (a proxy closes at
    once). Kept this lean (with http.client, it took twice the CPU a request) because
    the client shares the machine's two cores with what it measures."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def request(self, method, path, form=None) -> tuple[int, float, str]:
        head = [f"{method} {path} HTTP/1.0", "Host: 127.0.0.1"]
        if self.cookies:
            head.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        body = b""
        if form is not None:
            body = urllib.parse.urlencode({**form, "csrfmiddlewaretoken": self.csrf}).encode()
            head.append("Content-Type: application/x-www-form-urlencoded")
        head.append(f"Content-Length: {len(body)}")
        message = ("\r\n".join(head) + "\r\n\r\n").encode() + body
        started = time.perf_counter()
        with socket.create_connection(("127.0.0.1", self.port), timeout=60) as conn:
            conn.sendall(message)
            conn.shutdown(socket.SHUT_WR)
            chunks = []
            while chunk := conn.recv(65536):
                chunks.append(chunk)
        seconds = time.perf_counter() - started
        status, text = self._read(b"".join(chunks))
        return status, seconds, text

    def _read(self, raw: bytes) -> tuple[int, str]:
        head, _, body = raw.partition(b"\r\n\r\n")
        if not head:
            raise http.client.RemoteDisconnected("the server closed the connection unanswered")
        status_line, *headers = head.decode("latin-1").split("\r\n")
        for line in headers:
            name, _, value = line.partition(":")
            if name.lower() == "set-cookie":
                cookie, _, rest = value.strip().partition("=")
                self.cookies[cookie] = rest.split(";", 1)[0]
        text = body.decode(errors="replace")
        if found := CSRF.search(text):
            self.csrf = found.group(1)
        return int(status_line.split()[1]), text

    def log_in(self, username: str) -> None:
        self.request("GET", "/login/")
        status, _, _ = self.request("POST", "/login/", {"username": username, "password": PASSWORD})
        assert status == 302, f"login answered {status}"


class Recorder:
    def __init__(self):
        self.samples: list[tuple[int, float]] = []
        self.finished: list[float] = []  # when each sample's answer came
        self.lock = threading.Lock()

    def add(self, status: int, seconds: float) -> None:
        with self.lock:
            self.samples.append((status, seconds * 1000))
            self.finished.append(time.perf_counter())

    def timeline(self, label: str, window: float = 10.0) -> str:
        """p95 per window of the run: whether slow answers are spread out or bunched."""
        start = min(self.finished)
        windows: dict[int, list[float]] = {}
        for at, (_, ms) in zip(self.finished, self.samples, strict=True):
            windows.setdefault(int((at - start) // window), []).append(ms)
        cuts = [
            f"{sorted(times)[int(len(times) * 0.95)]:.0f}" for _, times in sorted(windows.items())
        ]
        return f"  {label} p95 per {window:.0f} s (ms): {' '.join(cuts)}"

    def p99(self) -> float:
        return statistics.quantiles([ms for _, ms in self.samples], n=100)[98]

    def summary(self, label: str, seconds: float) -> str:
        ok = [ms for status, ms in self.samples if status < 400]
        errors = sum(status >= 500 for status, _ in self.samples)
        times = sorted(ms for _, ms in self.samples)
        cuts = statistics.quantiles(times, n=100) if len(times) > 1 else times * 99
        return (
            f"{label}: {len(self.samples):,} in {seconds:.0f} s "
            f"({len(self.samples) / seconds:,.1f}/s), "
            f"{len(ok):,} ok, {errors} 5xx; p50 {cuts[49]:.1f} ms, p95 {cuts[94]:.1f} ms, "
            f"p99 {cuts[98]:.1f} ms"
        )


def paced(rate: float, seconds: float, sessions: list, action, recorder, start: float):
    """From `start`, send `rate` requests a second for `seconds`, each at its moment, from a
    thread per session. A request's time counts from its moment, not from when a client
    was free to send it: a server that falls behind the rate keeps every client busy, and
    timing from the send alone would read the slowdown as steady latency while the rate
    is no longer sent (coordinated omission)."""
    total = int(rate * seconds)
    counter, lock = iter(range(total)), threading.Lock()

    def run(session):
        while True:
            with lock:
                number = next(counter, None)
            if number is None:
                return
            moment = start + number / rate
            delay = moment - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            late = max(0.0, time.perf_counter() - moment)
            status, seconds = action(session, number)
            recorder.add(status, late + seconds)

    pool = [threading.Thread(target=run, args=(session,)) for session in sessions]
    for thread in pool:
        thread.start()
    return pool


def flat_out(seconds: float, clients: int, make_session, action, recorder) -> float:
    stop = time.perf_counter() + seconds
    counter, lock = iter(range(10**9)), threading.Lock()

    def run():
        session = make_session()
        while time.perf_counter() < stop:
            with lock:
                number = next(counter)
            recorder.add(*action(session, number))

    pool = [threading.Thread(target=run) for _ in range(clients)]
    started = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return time.perf_counter() - started


def anonymous_session(port: int) -> "Session":
    session = Session(port)
    session.request("GET", "/login/")  # a CSRF cookie and token, as a browser has
    return session


def head_session(port: int) -> "Session":
    session = Session(port)
    session.log_in("load-head")
    return session


def submitter(tokens: list[str], answer: dict):
    """The action of answering: each call POSTs `answer` to the next unused link."""
    taken, take_lock = iter(tokens), threading.Lock()

    def submit(session, _number):
        with take_lock:
            token = next(taken)
        status, seconds, _ = session.request("POST", f"/s/{token}", answer)
        return status, seconds

    return submit


def submissions_and_reads(args, port, tokens, department, answer, meter) -> None:
    submit = submitter(tokens, answer)

    def read(session, _number):
        status, seconds, _ = session.request("GET", f"/departments/{department}/")
        return status, seconds

    submissions, reads = Recorder(), Recorder()
    seconds = args.minutes * 60
    # Enough clients that a slow answer delays only its own client, not the pace. They
    # open their sessions first: 16 logins (a deliberately slow password hash each) are
    # not part of the measured minutes.
    customers = [anonymous_session(port) for _ in range(32)]
    heads = [head_session(port) for _ in range(16)]
    start = time.perf_counter() + 0.5
    pools = paced(args.rate, seconds, customers, submit, submissions, start)
    pools += paced(10, seconds, heads, read, reads, start)
    for thread in pools:
        thread.join()
    ok = sum(status < 400 for status, _ in submissions.samples)
    stored = Response.objects.count()
    print(submissions.summary(f"sustained submissions at {args.rate}/s", seconds))
    print(reads.summary("  scorecard reads at 10/s", seconds))
    if args.timeline:
        print(submissions.timeline("submissions"))
        print(reads.timeline("scorecard reads"))
    print(f"  stored answers {stored:,} = accepted {ok:,}: {stored == ok}")

    peak_held(port, submit)
    flat = Recorder()
    before = meter.read()
    took = flat_out(60, PEAK_CLIENTS, lambda: anonymous_session(port), submit, flat)
    print(flat.summary(f"flat out, {PEAK_CLIENTS} clients", took))
    print(f"  CPU a submission: {meter.per_request(before, meter.read(), len(flat.samples))}")


class Climb:
    """The rates whose 15 s step held p99 under PEAK_P99_MS, climbed a step at a time: by
    PEAK_STEPS until one misses, then 10/s at a time above the best until one misses. One
    stall fails 15 s, so a missed step is run once more (STEP_RETRIES times a climb)."""

    def __init__(self, step, steps=PEAK_STEPS):
        self.step = step  # step(rate, seconds) -> Recorder
        self.held: list[float] = []
        self.log: list[str] = []
        self.retries = STEP_RETRIES
        self.refining = False
        self.rates = iter(steps)
        self.next_rate = next(self.rates, None)
        self.minutes = 0  # held for a minute, or tried to
        self.hold_log: list[str] = []
        self.missed: float | None = None  # the lowest rate whose minute did not hold
        self.kept: tuple[float, Recorder, bool] | None = None

    def run_next(self) -> bool:
        """Run the next step; False once the climb is over."""
        rate = self.next_rate
        if rate is None:
            return False
        if self._passes(rate):
            self.held.append(rate)
        elif self.refining or not self.held:
            self.rates = iter(())
        else:
            self.refining = True
            best = self.held[-1]
            self.rates = iter(best + REFINE_BY * (n + 1) for n in range(REFINE_STEPS))
        self.next_rate = next(self.rates, None)
        return self.next_rate is not None

    def _passes(self, rate: float) -> bool:
        p99 = self.step(rate, STEP_SECONDS).p99()
        self.log.append(f"{rate}/s {p99:.0f}")
        if p99 >= PEAK_P99_MS and self.retries:
            self.retries -= 1
            p99 = self.step(rate, STEP_SECONDS).p99()
            self.log[-1] += f" then {p99:.0f}"
        return p99 < PEAK_P99_MS

    def hold_next(self) -> bool:
        """Hold the next rate for a minute (a minute is longer than a step, so more often
        meets a stall): first the climb's best; while none has held, the best step at
        least a tenth below the last that did not; once one has, the rate halfway
        between it and the lowest that did not, until they are REFINE_BY apart. False once
        settled, or after HOLD_MOST minutes: `kept` is then the highest rate held, its
        minute and True, or the last rate tried, its minute and False (None if no step
        held)."""
        rate = self._next_hold()
        if rate is None:
            return False
        recorder = self.step(rate, 60)
        self.minutes += 1
        p99 = recorder.p99()
        self.hold_log.append(f"{rate}/s {p99:.0f}")
        if p99 < PEAK_P99_MS:
            self.kept = (rate, recorder, True)
        else:
            self.missed = rate if self.missed is None else min(self.missed, rate)
            if not self._held_rate():
                self.kept = (rate, recorder, False)
        return self._next_hold() is not None

    def _held_rate(self) -> float | None:
        return self.kept[0] if self.kept and self.kept[2] else None

    def _next_hold(self) -> float | None:
        held = self._held_rate()
        if self.minutes >= HOLD_MOST or not self.held:
            return None
        if self.missed is None:
            return None if held else self.held[-1]
        if held is None:
            below = [rate for rate in self.held if rate <= self.missed * 0.9]
            return below[-1] if below else None
        halves = (self.missed - held) // REFINE_BY // 2
        return held + REFINE_BY * halves if halves else None

    def hold(self) -> tuple[float, Recorder, bool] | None:
        while self.hold_next():
            pass
        return self.kept


def stepper(clients: list, submit):
    """step(rate, seconds): `submit` paced at `rate` by these clients, recorded."""

    def step(rate: float, seconds: float) -> Recorder:
        recorder = Recorder()
        for thread in paced(rate, seconds, clients, submit, recorder, time.perf_counter()):
            thread.join()
        return recorder

    return step


def held_summary(label: str, held: tuple[float, Recorder, bool] | None) -> str:
    if held is None:
        return f"{label}: no step held p99 under {PEAK_P99_MS} ms"
    rate, recorder, kept = held
    verdict = "held" if kept else "NOT held"
    return recorder.summary(f"{label} {verdict}, {PEAK_CLIENTS} clients at {rate}/s", 60)


def peak_held(port: int, submit) -> None:
    """The highest rate whose p99 stays under PEAK_P99_MS for a minute (Climb)."""
    clients = [anonymous_session(port) for _ in range(PEAK_CLIENTS)]
    climb = Climb(stepper(clients, submit))
    while climb.run_next():
        pass
    held = climb.hold()
    print(f"  peak climb, p99 (ms) of each {STEP_SECONDS} s step: {', '.join(climb.log)}")
    print(f"  holds, p99 (ms) of each minute: {', '.join(climb.hold_log)}")
    print(held_summary("peak", held))


def one_row(session, _number):
    """The action of asking the bare view (bench/bare_view.py) for its row."""
    status, seconds, _ = session.request("GET", "/")
    return status, seconds


def bare_view(port: int, meter) -> None:
    bare = Recorder()
    before = meter.read()
    took = flat_out(60, PEAK_CLIENTS, lambda: Session(port), one_row, bare)
    print(bare.summary(f"bare one-row Django view, {PEAK_CLIENTS} clients", took))
    print(f"  CPU a request: {meter.per_request(before, meter.read(), len(bare.samples))}")


def run(args) -> None:
    sustained = int(args.rate * args.minutes * 60)
    tokens, department, answer = world(sustained + PEAK_LINKS, args.own_questions)
    settle()
    port = free_port()
    collect_static()  # the manifest DEBUG-off pages use
    with own_queue() as queue:
        os.environ["CELERY_QUEUE"] = queue
        worker = celery_worker(queue)
        try:
            with gunicorn(port, args.workers) as server:
                meter = CpuMeter(web=server.pid, worker=worker.process.pid)
                submissions_and_reads(args, port, tokens, department, answer, meter)
        finally:
            worker.stop()
    with gunicorn(port, args.workers, "bench.bare_view:application") as server:
        bare_view(port, CpuMeter(web=server.pid))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--timeline", action="store_true", help="print p95 per 10 s window")
    parser.add_argument(
        "--own-questions", type=int, default=0, choices=range(4),
        help="questions of the survey's own, 0 to 3, each answered",
    )  # fmt: skip
    args = parser.parse_args()
    with throwaway_database("touchstone_bench_load"):
        run(args)


if __name__ == "__main__":
    main()
