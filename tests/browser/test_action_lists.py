"""The action lists as people meet them: a salesperson on her phone sees the unhappy
customer she served, with why, notes her call and marks it done; the list then is empty."""

import pytest

from surveys.models import Outreach
from tests.browser.conftest import PHONE, log_in
from tests.factories import CustomerFactory, ResponseFactory, TouchpointFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_salesperson_reaches_out_to_her_unhappy_customer_on_a_phone(
    browser_context, department_a, staff_a
):
    carla = CustomerFactory(name="Carla Mendes", email="carla@example.com")
    ResponseFactory(
        invitation__interaction__customer=carla,
        invitation__interaction__touchpoint=TouchpointFactory(
            name="Showroom", department=department_a
        ),
        invitation__interaction__handled_by=staff_a.staff_profile,
        nps=2,
    )
    page = browser_context(**PHONE)
    log_in(page, staff_a.username)
    page.get_by_role("link", name="Action lists").click()
    row = page.get_by_role("row", name="Carla Mendes")
    assert "Detractor: 2/10 at Showroom" in row.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    row.get_by_label("Note on Carla Mendes").fill("Called her: a fitter comes on Monday.")
    row.get_by_role("button", name="Mark done").click()
    assert page.get_by_text("Marked done: they are off the list.").is_visible()
    assert page.get_by_text("Nobody on this list.").is_visible()
    outreach = Outreach.objects.get(customer=carla)
    assert outreach.done_by == staff_a and outreach.note.startswith("Called her")
