"""Recording interactions: the one service behind the API, the CSV import and the admin.

An interaction, its customer (matched by external_ref, else by email) and its invitation
are written in one transaction: the invitation row is the outbox the delivery job reads,
so an invitation is never lost to a broker outage. The interaction's external_id makes
every door idempotent: recording it again returns the stored interaction, unless what
comes again differs from what was stored (then it is a conflict, not a retry). Who may
change a known customer's identity on the way is decided in touchpoints/identity.py: a
`reporter` is an untrusted door, whose differences are kept for a CX manager.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models.functions import Upper
from django.utils import timezone

from lib.bulk_insert import bulk_insert
from surveys import enqueue
from surveys.asking import links
from surveys.asking.policy import decide_many, lock_addresses
from surveys.counting.aggregation import rollups_mark_dirty
from surveys.models import Invitation
from touchpoints.identity import Reporter, differences, report_changes
from touchpoints.models import Customer, Interaction, local_day


@dataclass(frozen=True)
class CustomerDetails:
    email: str
    name: str = ""
    external_ref: str | None = None
    language: str = ""
    segment: str = ""


@dataclass(frozen=True)
class Recorded:
    interaction: Interaction
    created: bool
    invitation: Invitation | None = None
    skipped: str = ""
    # A known external_id sent with other content: nothing was recorded for it.
    conflict: bool = False


# What makes two records of one external_id the same interaction (the customer aside).
INTERACTION_FACTS = (
    "touchpoint_id", "occurred_at", "outcome", "handled_by_id", "wait_seconds",
    "response_seconds", "resolution_seconds", "first_contact_resolution",
)  # fmt: skip


def same_interaction(item: dict, stored: Interaction) -> bool:
    """Whether `item` (record_one's arguments) describes the stored interaction: the same
    facts, and a customer of the same reference or address."""
    for name in INTERACTION_FACTS:
        field = name.removesuffix("_id")
        sent = item.get(field)
        sent = getattr(sent, "pk", sent)
        if sent != getattr(stored, name):
            return False
    details, customer = item["customer"], stored.customer
    if details.external_ref:
        return details.external_ref == customer.external_ref
    return details.email.strip().lower() == customer.email.strip().lower()


def record_interaction(**item) -> Recorded:
    """One interaction: see record_interactions."""
    return record_interactions([item])[0]


def record_interactions(items: list[dict], reporter: Reporter | None = None) -> list[Recorded]:
    """Interactions in order, each a dict of record_one's arguments, in one transaction and
    a few statements whatever their number (a batch of 1,000 from a till is one request).
    A known external_id returns the stored record, marked a conflict when the item says
    something else; so does one repeated in the list. `reporter`: an untrusted door."""
    known = _known([item.get("external_id") or None for item in items])
    fresh = _first_of_each_id(
        [item for item in items if (item.get("external_id") or None) not in known]
    )
    try:
        with transaction.atomic():
            recorded = _record_fresh(fresh, reporter)
    except IntegrityError:
        # A concurrent request recorded one of these external_ids first: one by one, each
        # either records or finds the other's record; still all or nothing.
        with transaction.atomic():
            return [record_one(reporter=reporter, **item) for item in items]
    made = {id(item): result for item, result in zip(fresh, recorded, strict=True)}
    by_id = {r.interaction.external_id: r for r in recorded if r.interaction.external_id}
    results = []
    for item in items:
        external_id = item.get("external_id") or None
        if id(item) in made:
            results.append(made[id(item)])
        else:  # known before, or the same external_id earlier in this list
            stored = (known.get(external_id) or by_id[external_id]).interaction
            results.append(_replayed(item, stored))
    return results


def _replayed(item: dict, stored: Interaction) -> Recorded:
    return Recorded(
        stored,
        False,
        getattr(stored, "invitation", None),
        conflict=not same_interaction(item, stored),
    )


def _first_of_each_id(items: list[dict]) -> list[dict]:
    seen, first = set(), []
    for item in items:
        external_id = item.get("external_id") or None
        if external_id is None or external_id not in seen:
            first.append(item)
            seen.add(external_id)
    return first


def _known(external_ids) -> dict[str, Recorded]:
    wanted = {external_id for external_id in external_ids if external_id}
    if wanted:  # the usual answer, none, from the unique index alone
        wanted = set(
            Interaction.objects.filter(external_id__in=wanted)
            .order_by()
            .values_list("external_id", flat=True)
        )
    if not wanted:
        return {}
    found = Interaction.objects.select_related("customer", "touchpoint", "invitation").filter(
        external_id__in=wanted
    )
    return {i.external_id: Recorded(i, False, getattr(i, "invitation", None)) for i in found}


def record_one(reporter: Reporter | None = None, **item) -> Recorded:
    """The fallback when a batch met a concurrent writer: one interaction in its own
    transaction, returning the other writer's record for a taken external_id."""
    external_id = item.get("external_id") or None
    if existing := _known([external_id]).get(external_id):
        return _replayed(item, existing.interaction)
    try:
        with transaction.atomic():
            return _record_fresh([item], reporter)[0]
    except IntegrityError:
        if existing := _known([external_id]).get(external_id):
            return _replayed(item, existing.interaction)
        raise


def _record_fresh(items: list[dict], reporter: Reporter | None) -> list[Recorded]:
    """New interactions, their customers and invitations, in bulk, in the caller's
    transaction. An item holds the touchpoint, the CustomerDetails, occurred_at, outcome
    and optionally external_id, handled_by and the facts (wait_seconds, ...)."""
    if not items:
        return []
    people = match_customers([item["customer"] for item in items], reporter)
    zone = timezone.get_current_timezone()
    interactions = []
    for item, person in zip(items, people, strict=True):
        fields = {name: value for name, value in item.items() if name != "customer"}
        fields["external_id"] = fields.get("external_id") or None
        interactions.append(
            Interaction(customer=person, day=local_day(item["occurred_at"], zone), **fields)
        )
    bulk_insert(interactions)
    # A bulk insert sends no post_save: mark the standards' days as saving one would.
    rollups_mark_dirty({(i.touchpoint_id, i.day) for i in interactions}, wake=False)
    invitations = invite_many(interactions, people)
    for interaction, (invitation, _) in zip(interactions, invitations, strict=True):
        # Known now: whoever shows the interaction needs no query to find out.
        Interaction.invitation.related.set_cached_value(interaction, invitation)
    return [
        Recorded(interaction, True, invitation, skipped)
        for interaction, (invitation, skipped) in zip(interactions, invitations, strict=True)
    ]


def match_customer(details: CustomerDetails, reporter: Reporter | None = None) -> Customer:
    return match_customers([details], reporter)[0]


def match_customers(
    details: list[CustomerDetails], reporter: Reporter | None = None
) -> list[Customer]:
    """Each one's customer: the one with its external_ref, else the oldest with its email,
    created when new (once, however often it appears). From a trusted door, known
    customers take the incoming name, email, language and segment, the source system being
    newer; the last mention wins. From an untrusted one (`reporter`), they keep their
    record, and what differs is kept for a CX manager to decide."""
    emails = [d.email.strip() for d in details]
    lock_addresses(emails)
    refs = {d.external_ref for d in details if d.external_ref}
    by_ref = {c.external_ref: c for c in Customer.objects.filter(external_ref__in=refs)}
    by_email: dict[str, Customer] = {}
    plain = {e.lower() for d, e in zip(details, emails, strict=True) if not d.external_ref}
    if plain:
        found = (
            # UPPER, as the index customer_email_upper (and Django's iexact) has it.
            Customer.objects.annotate(address=Upper("email"))
            .filter(address__in={address.upper() for address in plain})
            .order_by("-pk")  # the oldest comes last, so it is the one kept
        )
        by_email = {c.email.lower(): c for c in found}
    people, new, changed, reported = [], [], {}, []
    for d, email in zip(details, emails, strict=True):
        person = by_ref.get(d.external_ref) if d.external_ref else by_email.get(email.lower())
        if person is None:
            person = Customer(
                email=email,
                name=d.name,
                external_ref=d.external_ref or None,
                language=d.language or "en",
                segment=d.segment,
            )
            new.append(person)
            if d.external_ref:
                by_ref[d.external_ref] = person
            else:
                by_email[email.lower()] = person
        elif reporter is not None and person.pk:
            reported += [
                (person, field, value)
                for field, value in differences(person, email, d.name, d.segment).items()
            ]
        else:
            updates = {
                "email": email,
                "name": d.name or person.name,
                "language": d.language or person.language,
                "segment": d.segment or person.segment,
            }
            for field, value in updates.items():
                if getattr(person, field) != value:
                    setattr(person, field, value)
                    if person.pk:
                        changed.setdefault(person.pk, (person, set()))[1].add(field)
        people.append(person)
    bulk_insert(new)
    for person, fields in changed.values():
        person.save(update_fields=sorted(fields))
    if reported:
        report_changes(reported, reporter)
    return people


def invite(interaction: Interaction, customer: Customer) -> tuple[Invitation | None, str]:
    return invite_many([interaction], [customer])[0]


def invite_many(interactions, customers) -> list[tuple[Invitation | None, str]]:
    """Write the invitations the policy allows (in the caller's transaction); returns
    each one, or None and the reason."""
    decisions = decide_many(list(zip(interactions, customers, strict=True)))
    made, results = [], []
    for interaction, decision in zip(interactions, decisions, strict=True):
        if not decision.invites:
            results.append((None, decision.skipped))
            continue
        invitation = Invitation(
            interaction=interaction,
            survey=decision.survey,
            due_at=decision.due_at,
            expires_at=decision.due_at + dt.timedelta(days=decision.survey.expires_after_days),
        )
        links.issue(invitation)
        made.append(invitation)
        results.append((invitation, ""))
    bulk_insert(made)
    if any(invitation.due_at <= timezone.now() for invitation in made):
        enqueue.wake_on_commit(enqueue.DELIVER_INVITATIONS)
    return results
