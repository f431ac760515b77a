"""Answers with and without questions of the survey's own, side by side in one run:
what two runs of `make bench-load` compare, with the machine's drift between runs taken
out (two runs a quarter of an hour apart differ by more than the tenth compared).

In a throwaway database, two surveyed touchpoints: one asks the fixed survey, the other
also --own-questions (3) questions of its own, all answered. gunicorn (4 workers) serves
both, a bare one-row view (bench/bare_view.py) is served beside it with the same settings,
and a Celery worker adds the answers. Then, in turns, so that whatever the machine does
meanwhile falls on both alike:
- flat out: --rounds (5) rounds, each 20 s of 16 clients against the bare view, then the
  fixed survey, then the own one: each survey's rate as a share of its round's bare view,
  the own survey's share against the fixed one's of the same round (and their median),
  and the CPU an answer took (all processes) over its turns;
- or, with --held, the held rate (p99 under 50 ms for a minute, 16 clients): load.py's
  climb for each survey, a 15 s step of one then a step of the other, each until it
  misses (steps up to --most, 700/s, so the world stays small), then each settled by
  minute-long holds (load.Climb.hold_next), in turns too.

    DATABASE_URL=postgres://... REDIS_URL=redis://... make bench-own-questions
    make bench-own-questions BENCH_ARGS="--held"
"""

import argparse
import os
import statistics

from harness import (
    CpuMeter,
    celery_worker,
    collect_static,
    free_port,
    gunicorn,
    throwaway_database,
)
from load import (
    PEAK_CLIENTS,
    PEAK_STEPS,
    REFINE_BY,
    REFINE_STEPS,
    STEP_SECONDS,
    Climb,
    Recorder,
    Session,
    anonymous_session,
    climb_links,
    flat_out,
    held_summary,
    one_row,
    settle,
    stepper,
    submitter,
    world,
)

from tests.worker import own_queue

ROUND_SECONDS = 20
MOST_RATE = 1500  # answers/s a round is given links for


class Turns:
    """One side of the comparison: its rate in each round, and the CPU its turns took."""

    def __init__(self, label: str, meter: CpuMeter, action, make_session):
        self.label, self.meter = label, meter
        self.action, self.make_session = action, make_session
        self.rates: list[float] = []
        self.requests = 0
        self.cpu: dict[str, float] = {}

    def flat_out(self) -> float:
        recorder = Recorder()
        before = self.meter.read()
        took = flat_out(ROUND_SECONDS, PEAK_CLIENTS, self.make_session, self.action, recorder)
        for role, seconds in self.meter.read().items():
            self.cpu[role] = self.cpu.get(role, 0.0) + seconds - before.get(role, 0.0)
        failed = sum(status >= 400 for status, _ in recorder.samples)
        assert not failed, f"{self.label}: {failed} requests failed"
        self.requests += len(recorder.samples)
        self.rates.append(len(recorder.samples) / took)
        return self.rates[-1]

    def cpu_per_request(self) -> float:
        """Seconds of CPU a request, all processes."""
        return sum(self.cpu.values()) / self.requests


def compare(bare: Turns, fixed: Turns, own: Turns, count: int) -> None:
    shares: dict[str, list[float]] = {"fixed": [], "own": []}
    for number in range(1, count + 1):
        ceiling = bare.flat_out()
        for turns in (fixed, own):
            shares[turns.label].append(turns.flat_out() / ceiling)
        print(
            f"  round {number}: bare view {ceiling:,.1f}/s, fixed survey "
            f"{fixed.rates[-1]:,.1f}/s, own questions {own.rates[-1]:,.1f}/s"
        )
    for turns in (bare, fixed, own):
        cpu = CpuMeter.per_request({}, turns.cpu, turns.requests)
        rate = statistics.median(turns.rates)
        print(f"{turns.label}: median {rate:,.1f}/s; CPU a request: {cpu}")
    fixed_share, own_share = (statistics.median(shares[label]) for label in shares)
    # Paired: each round's own share against the same round's fixed one.
    ratios = [own / fixed for fixed, own in zip(shares["fixed"], shares["own"], strict=True)]
    print(
        f"flat out, share of the bare view (median of the rounds): fixed {fixed_share:.1%}, "
        f"own {own_share:.1%}; own/fixed by round {', '.join(f'{r:.0%}' for r in ratios)}: "
        f"median {statistics.median(ratios):.0%}"
    )
    fixed_cpu, own_cpu = fixed.cpu_per_request(), own.cpu_per_request()
    print(
        f"CPU an answer, all processes: fixed {1000 * fixed_cpu:.2f} ms, own "
        f"{1000 * own_cpu:.2f} ms: at equal speed {fixed_cpu / own_cpu:.0%} as many answers"
    )


def held_in_turns(port: int, submits: dict, most: float) -> None:
    """Each survey's held rate, their climbs' steps taken in turns."""
    steps = [rate for rate in PEAK_STEPS if rate <= most]
    climbs = {
        label: Climb(stepper([anonymous_session(port) for _ in range(PEAK_CLIENTS)], submit), steps)
        for label, submit in submits.items()
    }
    # The holds in turns too: what a run leaves behind (dead rows, with autovacuum off or
    # behind) slows whichever survey comes later.
    for turn in (Climb.run_next, Climb.hold_next):
        going = set(climbs)
        while going:
            for label, climb in climbs.items():
                if label in going and not turn(climb):
                    going.discard(label)
    held = {}
    for label, climb in climbs.items():
        print(f"  {label} climb, p99 (ms) of each {STEP_SECONDS} s step: {', '.join(climb.log)}")
        print(f"  {label} holds, p99 (ms) of each minute: {', '.join(climb.hold_log)}")
        print(held_summary(f"{label} peak", climb.kept))
        held[label] = climb.kept[0] if climb.kept and climb.kept[2] else 0.0
    if held["fixed"]:
        print(f"held: own/fixed {held['own'] / held['fixed']:.0%}")


def links_needed(args) -> int:
    """Links enough for each survey's part of the run: each answer needs one of its own."""
    if not args.held:
        return args.rounds * ROUND_SECONDS * MOST_RATE
    steps = [rate for rate in PEAK_STEPS if rate <= args.most]
    return climb_links(steps, args.most + REFINE_BY * REFINE_STEPS)


def run(args) -> None:
    links = links_needed(args)
    fixed_links, _department, fixed_answer = world(links, 0, name="Fixed")
    own_links, _department, own_answer = world(links, args.own_questions, name="Own")
    settle()
    port, bare_port = free_port(), free_port()
    collect_static()  # the manifest DEBUG-off pages use
    with own_queue() as queue:
        os.environ["CELERY_QUEUE"] = queue
        worker = celery_worker(queue)
        try:
            with (
                gunicorn(port, args.workers) as server,
                gunicorn(bare_port, args.workers, "bench.bare_view:application") as bare,
            ):
                fixed_submit = submitter(fixed_links, fixed_answer)
                own_submit = submitter(own_links, own_answer)
                if args.held:
                    held_in_turns(port, {"fixed": fixed_submit, "own": own_submit}, args.most)
                    return
                meter = CpuMeter(web=server.pid, worker=worker.process.pid)
                survey_session = lambda: anonymous_session(port)  # noqa: E731
                compare(
                    Turns("bare", CpuMeter(web=bare.pid), one_row, lambda: Session(bare_port)),
                    Turns("fixed", meter, fixed_submit, survey_session),
                    Turns("own", meter, own_submit, survey_session),
                    args.rounds,
                )
        finally:
            worker.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--own-questions", type=int, default=3, choices=range(1, 4))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--held", action="store_true", help="the held rates, in turns")
    parser.add_argument("--most", type=float, default=700, help="--held's highest step, /s")
    args = parser.parse_args()
    with throwaway_database("touchstone_bench_own_questions"):
        run(args)


if __name__ == "__main__":
    main()
