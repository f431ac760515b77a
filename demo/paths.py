"""Simulated customers walking the demo journey: which touchpoints, when, how fast, outcome.

Pure Python over a seeded random generator, so the demo is the same on every machine for a
given day. The database is written by demo.py from what this module returns.
"""

import datetime as dt
import math
import random
from dataclasses import dataclass

from django.utils import timezone

# The hotline got a call-back option this many days ago: waits drop after it, so the demo
# has an improvement whose effect on the gap can be checked.
HOTLINE_FIX_DAYS_AGO = 45


@dataclass
class SimulatedInteraction:
    customer: int  # index into the simulated customers
    touchpoint: str  # key of demo_catalogue.CUSTOMER_TOUCHPOINTS
    occurred_at: dt.datetime
    outcome: str = "resolved"
    wait_seconds: int | None = None
    response_seconds: int | None = None
    resolution_seconds: int | None = None
    first_contact_resolution: bool | None = None
    own_contact: bool = False  # handled by the customer's own salesperson, not a stranger


class Walk:
    """One customer's way through the journey, on their own clock."""

    def __init__(self, rng: random.Random, customer: int, clock: dt.datetime, end: dt.datetime):
        self.rng, self.customer, self.clock, self.end = rng, customer, clock, end
        self.path: list[SimulatedInteraction] = []

    def lognormal(self, median: float, spread: float = 0.8) -> int:
        return max(1, int(median * math.exp(self.rng.gauss(0, spread))))

    def advance(self) -> bool:
        """Move to the next contact; False once it would be in the future."""
        self.clock += dt.timedelta(minutes=self.rng.randrange(30, 4 * 24 * 60))
        return self.clock < self.end

    def meet(self, touchpoint: str, outcome: str = "resolved", **facts) -> bool:
        if not self.advance():
            return False
        self.record(touchpoint, outcome, **facts)
        return True

    def record(self, touchpoint: str, outcome: str = "resolved", **facts) -> None:
        self.path.append(
            SimulatedInteraction(self.customer, touchpoint, self.clock, outcome, **facts)
        )


class PathSimulator:
    def __init__(self, rng: random.Random, today: dt.date, days: int):
        self.rng = rng
        self.days = days
        self.end = timezone.make_aware(dt.datetime.combine(today, dt.time(8)))
        self.start = self.end - dt.timedelta(days=days)
        self.hotline_fixed_at = self.end - dt.timedelta(days=HOTLINE_FIX_DAYS_AGO)

    def simulate(self, customers: int, target: int) -> tuple[list[SimulatedInteraction], set]:
        """Exactly `target` interactions; returns them and the customers who bought."""
        interactions: list[SimulatedInteraction] = []
        buyers: set[int] = set()
        order = list(range(customers))
        while len(interactions) < target:
            self.rng.shuffle(order)
            for customer in order:
                interactions.extend(self.walk(customer, buyers))
                if len(interactions) >= target:
                    break
        return interactions[:target], buyers

    def walk(self, customer: int, buyers: set) -> list[SimulatedInteraction]:
        rng = self.rng
        start = self.start + dt.timedelta(minutes=rng.randrange(self.days * 24 * 60))
        walk = Walk(rng, customer, start, self.end)
        for key in rng.sample(["web_products", "social_ads", "catalogue"], rng.choice([1, 1, 2])):
            walk.meet(key)
        if not (self.consult(walk) and self.quote(walk) and self.purchase(walk)):
            return walk.path
        buyers.add(customer)
        self.after_purchase(walk)
        return walk.path

    def consult(self, walk: Walk) -> bool:
        """The consultation stage; False when the customer walked away."""
        choice = self.rng.choices(["showroom", "hotline", "chat"], weights=[50, 35, 15])[0]
        if choice == "showroom":
            return walk.meet("showroom", wait_seconds=walk.lognormal(120), own_contact=True)
        if choice == "chat":
            return walk.meet("chat", wait_seconds=walk.lognormal(45))
        return self.call_hotline(walk)

    def call_hotline(self, walk: Walk) -> bool:
        if not walk.advance():
            return False
        # Before the fix half the callers wait past the 2-minute standard, and 16 minutes
        # on hold is common; after it most are called back instead of holding.
        median = 240 if walk.clock < self.hotline_fixed_at else 100
        wait = walk.lognormal(median, 0.9)
        if wait > 900 and self.rng.random() < 0.6:
            walk.record("hotline", "abandoned", wait_seconds=wait)
            return False
        resolved = self.rng.random() < 0.6
        walk.record(
            "hotline",
            "resolved" if resolved else "escalated",
            wait_seconds=wait,
            resolution_seconds=walk.lognormal(420, 0.5),
            first_contact_resolution=resolved,
        )
        return True

    def quote(self, walk: Walk) -> bool:
        rng = self.rng
        if rng.random() < 0.6:
            walk.meet("measure_visit", response_seconds=walk.lognormal(2 * 86400, 0.5))
        if rng.random() < 0.5:
            # Callers called back within the hour are far likelier to buy.
            response = walk.lognormal(1.5 * 3600, 1.2)
            lost = rng.random() < (0.35 if response > 3600 else 0.08)
            key, facts = "sales_callback", {"response_seconds": response}
        else:
            lost = rng.random() < 0.15
            key, facts = "quote_email", {"response_seconds": walk.lognormal(1.2 * 86400, 0.6)}
        met = walk.meet(key, "lost" if lost else "resolved", own_contact=True, **facts)
        return met and not lost

    def purchase(self, walk: Walk) -> bool:
        key = self.rng.choice(["store_checkout", "store_checkout", "online_order"])
        facts = {"wait_seconds": walk.lognormal(150)} if key == "store_checkout" else {}
        return walk.meet(key, "purchased", own_contact=True, **facts)

    def after_purchase(self, walk: Walk) -> None:
        rng = self.rng
        walk.meet("invoice")
        walk.meet("delivery_scheduling", wait_seconds=walk.lognormal(200))
        walk.meet("delivery", resolution_seconds=walk.lognormal(3 * 3600, 0.4))
        walk.meet(
            "installer",
            resolution_seconds=walk.lognormal(6 * 3600, 0.3),
            first_contact_resolution=rng.random() < 0.93,
        )
        if rng.random() < 0.7:
            walk.meet("aftersale_call", response_seconds=walk.lognormal(5 * 86400, 0.5))
        if rng.random() < 0.3:
            self.call_hotline(walk)
        if rng.random() < 0.15:
            outcome = "unresolved" if rng.random() < 0.4 else "resolved"
            walk.meet("warranty", outcome, resolution_seconds=walk.lognormal(5 * 86400, 0.6))
        if rng.random() < 0.5:
            walk.meet("review_email")
        if rng.random() < 0.15:
            walk.meet("referral")
