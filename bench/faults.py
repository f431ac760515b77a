"""Faults under load: kill -9 web and Celery workers, restart Redis, make SMTP fail, then
check that nothing was lost, nothing doubled, and the rollups still add up.

It runs everything on 127.0.0.1 and owns every process it breaks: a Redis server of its
own (it keeps nothing on disk, so a restart loses the broker's queue, as a crash would),
an aiosmtpd server in this process, gunicorn (4 workers), a Celery worker and beat, over
a throwaway PostgreSQL database. For SECONDS it:
- submits whole answers to sent invitations' personal links (a client cut off by a killed
  worker retries once on a new connection, as a browser's user would);
- posts interactions to the API in batches, each customer surveyed at once, retrying a
  batch with the same external_ids until it is accepted (as an integration would);
- meanwhile, at random moments, each several times: kills (-9) a gunicorn worker, kills
  (-9) the Celery worker with its pool and starts it again, kills and restarts Redis, and
  makes SMTP answer every message with a temporary failure for 15 s. A Celery worker that
  exits by itself is started again, as a supervisor would, and counted.
Then it lets the system settle (the delivery job and the rollup drain run as beat would,
with the clock past the longest retry backoff and any dead worker's lease) and checks:
- every accepted answer is stored, and no invitation has two answers;
- every accepted interaction is stored once;
- every API-made invitation was emailed once and none twice (messages per recipient); the
  one a killed worker was handing to SMTP, which may have arrived, is not sent again;
- the rollups equal a recomputation from the raw answers (verify_rollups);
- /healthz answers 200 again (how long that took is printed).
It exits non-zero when a check fails.

    DATABASE_URL=postgres://... make bench-faults
    make bench-faults BENCH_ARGS="--seconds 60"
"""

import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.smtp import RecordingHandler, free_port

REDIS_PORT, SMTP_PORT = free_port(), free_port()
# Before Django reads its settings (harness sets it up): this run's Redis and SMTP server.
os.environ["REDIS_URL"] = f"redis://127.0.0.1:{REDIS_PORT}/0"
os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{SMTP_PORT}"
os.environ["EMAIL_TIMEOUT"] = "5"

from harness import (  # noqa: E402 (Django up)
    collect_static,
    gunicorn,
    integration_token,
    throwaway_database,
)

# isort: split

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import http.client  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
from collections import Counter  # noqa: E402
from email.utils import parseaddr  # noqa: E402

import load  # noqa: E402
from aiosmtpd.controller import Controller  # noqa: E402
from django.core.management import CommandError, call_command  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402
from load import ANSWER, anonymous_session  # noqa: E402

from surveys.asking import links  # noqa: E402
from surveys.asking.delivery import UNCERTAIN, deliver  # noqa: E402
from surveys.counting.aggregation import rollups_drain_all  # noqa: E402
from surveys.models import Invitation, InvitationStatus, Response  # noqa: E402
from tests.worker import own_queue, test_database_url  # noqa: E402
from touchpoints.models import Interaction, Touchpoint  # noqa: E402

API_BATCH = 10
SMTP_OUTAGE = 15
PACE = 0.1  # seconds between one client's answers: load all along, not a sprint


class Redis:
    """A redis-server of this run's own, to kill and start again."""

    def __init__(self, port: int):
        self.port, self.process = port, None
        self.workdir = tempfile.mkdtemp(prefix="touchstone-faults-redis-")

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", self.workdir],
            stdout=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while (
            subprocess.run(
                ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True
            ).stdout.strip()
            != "PONG"
        ):
            if time.monotonic() > deadline:
                sys.exit("redis-server did not start")
            time.sleep(0.1)

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.kill()
        shutil.rmtree(self.workdir, ignore_errors=True)


class CeleryWorker:
    """A Celery worker of this run's own (prefork, 2 processes), to kill and start again.
    Ready when its log says so: after a Redis restart this process's broker connections
    are stale, so it does not ask the worker over the broker."""

    def __init__(self, queue: str, log_dir: str):
        self.queue, self.log = queue, Path(log_dir) / "worker.log"
        self.process = None
        self.lock = threading.Lock()  # a kill and restart, or the supervisor's look
        self.exited_by_itself = 0

    def restart(self):
        with self.lock:
            self.kill()
            time.sleep(2)
            self.start()

    def supervise(self, until: threading.Event):
        """Start the worker again if it exits by itself, as a process supervisor (or
        docker-compose's restart policy) does in production. Celery's worker can: on a
        lost Redis connection, kombu may fail to put back its unacknowledged messages
        and the worker stops with an "Unrecoverable error"."""
        while not until.wait(1):
            with self.lock:
                if self.process.poll() is not None:
                    self.exited_by_itself += 1
                    self.start()

    def start(self):
        # The log is kept across restarts (what each run said); this start is ready when
        # what it appends says so.
        since = self.log.stat().st_size if self.log.exists() else 0
        env = {**os.environ, "DATABASE_URL": test_database_url(), "CELERY_QUEUE": self.queue}
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO",
                 "--concurrency=2", "--pool=prefork", "-Q", self.queue, "-n",
                 f"faults.{self.queue}@127.0.0.1", "--without-gossip", "--without-mingle"],
                env=env, stdout=log, stderr=log, start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while "ready." not in self.log.read_text(errors="replace")[since:]:
            if time.monotonic() > deadline or self.process.poll() is not None:
                sys.exit(f"the Celery worker did not start:\n{self.log.read_text()}")
            time.sleep(0.2)

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


def world(answers: int) -> tuple[list[str], int, str]:
    """The load benchmark's sent invitations, its touchpoint, and an integration's key."""
    tokens, department, _answer = load.world(answers)
    place = Touchpoint.objects.get(department_id=department).pk
    return tokens, place, integration_token("faults-cx")


class Outcomes:
    def __init__(self):
        self.lock = threading.Lock()
        self.answers: dict[str, int] = {}  # token: final status (0: no answer at all)
        self.cut_off = 0  # requests cut off by a fault (then retried)
        self.server_errors = 0
        self.accepted_ids: set[str] = set()
        self.api_attempts = Counter()

    def count(self, status: int):
        with self.lock:
            if status >= 500:
                self.server_errors += 1


def submitter(port, tokens, stop, outcomes: Outcomes):
    session = anonymous_session(port)
    for token in tokens:
        if stop.is_set():
            return
        status = 0
        for _ in range(2):
            try:
                status, _, _ = session.request("POST", f"/s/{token}", ANSWER)
                outcomes.count(status)
                if status < 500:
                    break
            except (OSError, http.client.HTTPException):
                with outcomes.lock:
                    outcomes.cut_off += 1
                time.sleep(0.5)
                session = _fresh(port, stop)
                if session is None:
                    return
        with outcomes.lock:
            outcomes.answers[token] = status
        time.sleep(PACE)


def _fresh(port, stop):
    while not stop.is_set():
        try:
            return anonymous_session(port)
        except (OSError, http.client.HTTPException):
            time.sleep(0.5)
    return None


def api_poster(port, key, place, stop, outcomes: Outcomes):
    number = 0
    while not stop.is_set():
        batch = [
            {
                "external_id": f"faults-{number + i}",
                "touchpoint": place,
                "customer": {"email": f"api-{number + i}@example.com"},
                "occurred_at": timezone.now().isoformat(),
                "outcome": "resolved",
            }
            for i in range(API_BATCH)
        ]
        number += API_BATCH
        body = json.dumps(batch)
        while not stop.is_set():  # the same batch until it is taken, as an integration retries
            outcomes.api_attempts["sent"] += 1
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request(
                    "POST", "/api/v1/interactions/", body=body,
                    headers={"Authorization": f"Token {key}", "Prefer": "return=minimal",
                             "Content-Type": "application/json"},
                )  # fmt: skip
                answer = conn.getresponse()
                answer.read()
                conn.close()
                outcomes.count(answer.status)
                if answer.status in (200, 201):
                    with outcomes.lock:
                        outcomes.accepted_ids.update(item["external_id"] for item in batch)
                    break
            except (OSError, http.client.HTTPException):
                with outcomes.lock:
                    outcomes.cut_off += 1
            time.sleep(1)
        time.sleep(0.5)


def chaos(seconds, stop, server, worker: CeleryWorker, redis: Redis, smtp: RecordingHandler):
    """Each fault three times, in a random order, spread over the run."""
    done = Counter()

    def kill_web_worker():
        children = subprocess.run(
            ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
        ).stdout.split()
        if children:
            os.kill(int(random.choice(children)), signal.SIGKILL)
            done["gunicorn worker killed (-9)"] += 1

    def kill_celery_worker():
        worker.restart()
        done["Celery worker killed (-9) and restarted"] += 1

    def restart_redis():
        redis.kill()
        time.sleep(1)
        redis.start()
        done["Redis killed and restarted (empty)"] += 1

    def smtp_outage():
        smtp.fail_every = 1
        time.sleep(SMTP_OUTAGE)
        smtp.fail_every = 0
        done[f"SMTP failing every message for {SMTP_OUTAGE} s"] += 1

    faults = [kill_web_worker, kill_celery_worker, restart_redis, smtp_outage] * 3
    random.shuffle(faults)
    gap = seconds / (len(faults) + 1)
    for fault in faults:
        if stop.wait(gap):
            break
        fault()
    return done


def settle():
    """What beat would do with time: send what is due, past every backoff and lease."""
    later = timezone.now() + dt.timedelta(hours=7)
    for _ in range(50):
        report = deliver(later)
        if not (report.sent or report.retrying):
            break
    rollups_drain_all()


def run(args):
    tokens, place, key = world(args.answers)
    port = free_port()
    smtp = RecordingHandler()
    controller = Controller(smtp, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    collect_static()  # the manifest DEBUG-off pages use
    outcomes, stop = Outcomes(), threading.Event()
    with own_queue() as queue, tempfile.TemporaryDirectory() as scratch:
        os.environ["CELERY_QUEUE"] = queue
        worker = CeleryWorker(queue, scratch)
        worker.start()
        supervised = threading.Event()
        supervisor = threading.Thread(target=worker.supervise, args=(supervised,))
        supervisor.start()
        beat = _beat(queue, scratch)
        threads = []
        try:
            with gunicorn(port, args.workers) as server:
                shares = [tokens[i :: args.clients] for i in range(args.clients)]
                threads = [
                    threading.Thread(target=submitter, args=(port, share, stop, outcomes))
                    for share in shares
                ] + [threading.Thread(target=api_poster, args=(port, key, place, stop, outcomes))]
                for thread in threads:
                    thread.start()
                done = chaos(args.seconds, stop, server, worker, REDIS, smtp)
                stop.set()
                for thread in threads:
                    thread.join()
                settle()
                health = _health(port)
                if health[0] != "200":
                    _why_no_heartbeat(beat, worker)
        finally:
            stop.set()
            supervised.set()
            supervisor.join()
            os.killpg(beat.pid, signal.SIGKILL)
            if worker.process.poll() is None:
                worker.kill()
            controller.stop()
    if worker.exited_by_itself:
        done["Celery worker exited by itself and was started again"] = worker.exited_by_itself
    return report(outcomes, done, smtp, *health)


def _beat(queue, scratch):
    schedule = Path(scratch) / "beat-schedule"
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel=WARNING",
         f"--schedule={schedule}"],
        env={**os.environ, "CELERY_QUEUE": queue}, stdout=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip


def _why_no_heartbeat(beat, worker) -> None:
    """What to look at when /healthz stays failing: the heartbeat comes from beat, through
    Redis, to the worker."""
    if beat.poll() is not None:
        print(f"beat had exited (code {beat.returncode}): its errors are above")
    code = worker.process.poll()
    tail = "\n".join(worker.log.read_text(errors="replace").splitlines()[-30:])
    state = "running" if code is None else f"exited with {code}"
    print(f"Celery worker {state}; the end of its log:\n{tail}")


def _health(port, patience: float = 180) -> tuple[str, float]:
    """/healthz's status once it is 200 (the workers' heartbeat is back: Redis forgot it),
    or after `patience` seconds with what it said; and how long that took."""
    started = time.monotonic()
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/healthz")
            answer = conn.getresponse()
            status, said = answer.status, answer.read().decode(errors="replace")
        except (OSError, http.client.HTTPException) as error:
            status, said = 0, repr(error)
        waited = time.monotonic() - started
        if status == 200:
            return "200", waited
        if waited > patience:
            return f"{status} {said}", waited
        time.sleep(2)


def report(outcomes: Outcomes, done, smtp: RecordingHandler, health, recovered) -> bool:
    for fault, times in sorted(done.items()):
        print(f"fault: {fault} x{times}")
    answered = {t for t, status in outcomes.answers.items() if 0 < status < 400}
    # A POST cut off after its commit answers 409 on the retry: stored, and the customer
    # is told so. Both count as accepted.
    answered |= {t for t, status in outcomes.answers.items() if status == 409}
    hashes = {links.hash_token(t): t for t in answered}
    stored = set(
        Invitation.objects.filter(token_hash__in=hashes, response__isnull=False).values_list(
            "token_hash", flat=True
        )
    )
    lost_answers = len(answered) - len(stored)
    doubled_answers = (
        Response.objects.values("invitation").annotate(n=Count("id")).filter(n__gt=1).count()
    )
    stored_ids = Counter(
        Interaction.objects.filter(external_id__startswith="faults-").values_list(
            "external_id", flat=True
        )
    )
    lost_interactions = len(outcomes.accepted_ids - set(stored_ids))
    doubled_interactions = sum(n > 1 for n in stored_ids.values())
    made = Invitation.objects.filter(interaction__external_id__startswith="faults-")
    status_of = dict(made.values_list("interaction__customer__email", "status"))
    uncertain = made.filter(status=InvitationStatus.FAILED, last_error=UNCERTAIN).count()
    per_recipient = Counter(parseaddr(str(m["To"]))[1] for m in smtp.messages)
    emailed_twice = sum(per_recipient[address] > 1 for address in status_of)
    sent_unreceived = sum(
        status == InvitationStatus.SENT and not per_recipient[address]
        for address, status in status_of.items()
    )
    unsent = made.exclude(status=InvitationStatus.SENT).count() - uncertain
    found = io.StringIO()
    try:
        call_command("verify_rollups", stdout=found)
        rollups = True
    except CommandError as error:  # they differ
        print(f"verify_rollups: {error}\n{found.getvalue()}")
        rollups = False
    print(
        f"answers: {len(outcomes.answers):,} submitted, {len(answered):,} accepted, "
        f"{len(stored):,} of those stored; lost {lost_answers}, invitations answered twice "
        f"{doubled_answers}"
    )
    print(
        f"interactions: {len(outcomes.accepted_ids):,} accepted in "
        f"{outcomes.api_attempts['sent']:,} POSTs; lost {lost_interactions}, "
        f"stored twice {doubled_interactions}"
    )
    print(
        f"emails: {len(status_of):,} invitations made through the API, {len(smtp.messages):,}"
        f" messages accepted by SMTP; sent {len(status_of) - unsent - uncertain:,}, emailed "
        f"twice {emailed_twice}, marked sent but not received {sent_unreceived}, not sent "
        f"{unsent}; in flight when a worker died, so not resent: {uncertain}"
    )
    print(
        f"requests cut off by a fault (retried): {outcomes.cut_off}; 5xx answers "
        f"{outcomes.server_errors}; rollups equal a recomputation: {rollups}; /healthz {health}"
        f" ({recovered:.0f} s after the load)"
    )
    ok = not (lost_answers or doubled_answers or lost_interactions or doubled_interactions)
    ok = ok and not (emailed_twice or sent_unreceived or unsent) and rollups and health == "200"
    print("ALL CHECKS PASSED" if ok else "A CHECK FAILED")
    return ok


REDIS = Redis(REDIS_PORT)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--answers", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    REDIS.start()
    try:
        with throwaway_database("touchstone_bench_faults"):
            ok = run(args)
    finally:
        REDIS.stop()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
