"""The demo organisation, written down: a flooring retailer and installer.

Profiles give each customer touchpoint its story: (mean expectation, mean experience) on
1-7 and comment lines. The service hotline (on hold) and the after-sale call by a stranger
score worst; the showroom visit and the installer delight.
"""

DEPARTMENTS = [
    # name, colour, head username, head full name
    ("Marketing", "#7c3aed", "head-marketing", "Mara Lind"),
    ("Sales", "#2563eb", "head-sales", "Sam Ortiz"),
    ("Customer Service", "#dc2626", "head-service", "Cleo Barnes"),
    ("Installation", "#059669", "head-installation", "Ivan Petrov"),
    ("Billing", "#d97706", "head-billing", "Bea Kowalski"),
    ("Logistics", "#0891b2", "head-logistics", "Leo Nakamura"),
]

# The salesperson who signs in (Lena Vogel, one of the two who call back fast).
STAFF_LOGIN = "lena"

STAFF_NAMES = [
    "Alex Reed", "Jordan Blake", "Priya Shah", "Tom Fischer", "Nina Costa",
    "Omar Haddad", "Lena Vogel", "Chris Doyle", "Maya Chen", "Felix Braun",
    "Sara Lopez", "Ben Walsh", "Ana Silva", "Kai Berger", "Ruth Adams",
    "Dev Patel", "Ella Novak", "Hugo Martin", "Iris Young", "Jon Meyer",
    "Kara Stone", "Luis Ortega", "Mia Keller", "Noah Price", "Olga Ivanova",
    "Paul Wright", "Rosa Diaz", "Theo Lang", "Uma Rao", "Vera Hart",
]  # fmt: skip

# key: (name, channel, department, standards, effort_estimate, profile or None if unsurveyed)
# standards: dict of Touchpoint target fields.
CUSTOMER_TOUCHPOINTS = {
    "web_products": ("Website product pages", "web", "Marketing", {}, 2, (5.0, 5.2)),
    "social_ads": ("Social media ads", "social", "Marketing", {}, 2, None),
    "catalogue": ("Catalogue by mail", "mail", "Marketing", {}, 3, None),
    "showroom": ("Showroom visit", "store", "Sales", {"target_wait_seconds": 300}, 3, (5.0, 6.3)),
    "hotline": (
        "Service hotline",
        "phone",
        "Customer Service",
        {
            "target_wait_seconds": 120,
            "target_resolution_seconds": 600,
            "target_first_contact_resolution": 80,
        },
        2,
        (5.6, 2.9),
    ),
    "chat": ("Live chat", "chat", "Customer Service", {"target_wait_seconds": 60}, 2, (5.0, 4.9)),
    "measure_visit": (
        "Measurement visit",
        "field_visit",
        "Installation",
        {"target_response_seconds": 3 * 86400},
        4,
        (5.2, 5.6),
    ),
    "quote_email": (
        "Quote by email",
        "email",
        "Sales",
        {"target_response_seconds": 2 * 86400},
        2,
        (5.1, 4.4),
    ),
    "sales_callback": (
        "Sales call-back",
        "phone",
        "Sales",
        {"target_response_seconds": 3600},
        1,
        (5.5, 3.8),
    ),
    "store_checkout": (
        "Store checkout",
        "store",
        "Sales",
        {"target_wait_seconds": 300},
        2,
        (4.8, 5.2),
    ),
    "online_order": ("Online order", "web", "Sales", {}, 3, (5.0, 4.8)),
    "invoice": ("Invoice and payment", "email", "Billing", {}, 2, (4.5, 4.4)),
    "delivery_scheduling": (
        "Delivery scheduling call",
        "phone",
        "Logistics",
        {"target_wait_seconds": 180},
        3,
        (5.0, 3.9),
    ),
    "delivery": (
        "Delivery",
        "field_visit",
        "Logistics",
        {"target_resolution_seconds": 4 * 3600},
        4,
        (5.2, 4.9),
    ),
    "installer": (
        "Installer visit",
        "field_visit",
        "Installation",
        {"target_resolution_seconds": 8 * 3600, "target_first_contact_resolution": 90},
        5,
        (5.4, 6.4),
    ),
    "aftersale_call": (
        "After-sale call",
        "phone",
        "Customer Service",
        {"target_response_seconds": 7 * 86400},
        1,
        (4.6, 3.1),
    ),
    "warranty": (
        "Warranty claim form",
        "web",
        "Customer Service",
        {"target_resolution_seconds": 5 * 86400},
        3,
        (5.3, 3.6),
    ),
    "review_email": ("Review request email", "email", "Marketing", {}, 1, None),
    "referral": ("Referral programme", "web", "Marketing", {}, 2, (4.2, 4.5)),
}

# key: (name, channel, department, effort_estimate, supported customer touchpoint keys)
# The staff pulse: (mean expectation, mean experience) of each internal touchpoint. Agents
# juggling three systems behind the hotline are the most frustrated.
EMPLOYEE_PROFILES = {
    "crm_quote": (5.0, 3.6),
    "callcentre_desktop": (5.6, 2.4),
    "callback_queue": (5.0, 4.3),
    "scheduling_system": (5.0, 3.8),
    "installer_app": (5.0, 5.7),
    "billing_system": (4.6, 4.4),
}
PULSE_COMMENTS = {
    "callcentre_desktop": ["Three screens for one caller.", "The CRM freezes during calls."],
    "crm_quote": ["Quotes take ages to build."],
    "scheduling_system": ["Slots are double-booked."],
    "installer_app": ["The app just works."],
}

EMPLOYEE_TOUCHPOINTS = {
    "crm_quote": ("CRM quote builder", "web", "Sales", 4, ["quote_email", "sales_callback"]),
    "callcentre_desktop": (
        "Call-centre desktop (three systems)",
        "web",
        "Customer Service",
        5,
        ["hotline", "aftersale_call"],
    ),
    "callback_queue": ("Call-back queue", "phone", "Sales", 2, ["sales_callback"]),
    "scheduling_system": (
        "Delivery scheduling system",
        "web",
        "Logistics",
        3,
        ["delivery_scheduling", "delivery"],
    ),
    "installer_app": ("Installer job app", "mobile_app", "Installation", 3, ["installer"]),
    "billing_system": ("Billing system", "web", "Billing", 3, ["invoice"]),
}

CUSTOMER_JOURNEY = (
    "Buying and installing flooring",
    "A homeowner's path from first idea to a floor they recommend.",
    "Homeowner renovating a living room",
    [
        ("Awareness", "Find out what is possible", ["web_products", "social_ads", "catalogue"]),
        ("Consultation", "Get advice from someone who knows", ["showroom", "hotline", "chat"]),
        ("Quote", "A fair price, quickly", ["measure_visit", "quote_email", "sales_callback"]),
        ("Purchase", "Pay without hassle", ["store_checkout", "online_order", "invoice"]),
        (
            "Installation",
            "A clean, on-time installation",
            ["delivery_scheduling", "delivery", "installer"],
        ),
        ("Follow-up", "Help if something is wrong", ["aftersale_call", "hotline", "warranty"]),
        ("Advocacy", "Share a good experience", ["review_email", "referral"]),
    ],
)

EMPLOYEE_JOURNEY = (
    "Handling a flooring order (staff)",
    "What our people go through behind each customer step.",
    "Customer service agent and installer",
    [
        ("Take the enquiry", "Answer fast with the full history", ["callcentre_desktop"]),
        ("Prepare the quote", "Price a job without retyping", ["crm_quote", "callback_queue"]),
        ("Schedule", "Book a slot that holds", ["scheduling_system"]),
        ("Install", "Have the job details on site", ["installer_app"]),
        ("Close out", "Invoice right the first time", ["billing_system"]),
    ],
)


POSITIVE_COMMENTS = {
    "showroom": [
        "The showroom advisor really knew the products.",
        "Friendly advice in the showroom, no pressure.",
        "Loved seeing the real floors side by side.",
    ],
    "installer": [
        "Friendly installer, clean and on time.",
        "The installer was friendly and explained everything.",
        "Such a friendly installer, very patient with our questions.",
        "Left no mess at all, the room was spotless afterwards.",
        "They cleaned up and left no mess behind.",
        "Great job by the installer, floor looks perfect.",
    ],
    "web_products": ["Easy to compare floors on the website."],
    "chat": ["Quick answer in the chat."],
    "measure_visit": ["Measurement was quick and precise."],
    "store_checkout": ["Checkout was fast."],
}

NEGATIVE_COMMENTS = {
    "hotline": [
        "I was on hold for 16 minutes and then hung up.",
        "On hold forever, nobody picked up.",
        "Endless hold music, had to call three times.",
        "Kept on hold far too long for a simple question.",
        "Twenty minutes on hold before anyone answered.",
        "They transferred me twice and I had to repeat everything.",
        "Transferred from one department to the next, repeating my order number each time.",
        "Got transferred to the wrong team and had to explain it all again.",
    ],
    "aftersale_call": [
        "Someone I had never spoken to called and knew nothing about my order.",
        "The after-sale call came from a stranger reading a script.",
        "Nobody called back about my problem.",
    ],
    "sales_callback": [
        "No call back for two days.",
        "Promised a call back within the hour, got it the next day.",
        "Still waiting for the call back I was promised.",
        "Asked for a call back, nobody called.",
        "Had to chase the salesperson for the quote.",
        "Chased twice before the quote arrived.",
    ],
    "quote_email": ["The quote took ages and had errors."],
    "delivery_scheduling": ["Scheduling the delivery took several calls."],
    "warranty": ["The warranty form went nowhere, no reply."],
    "invoice": ["The invoice was wrong the first time."],
    "delivery": ["Delivery came late in the day without notice."],
}

COMPLAINT_TEXTS = {
    "hotline": [
        "Waited on hold far too long and the call dropped.",
        "On hold for 25 minutes, then the line went dead.",
        "Hours on hold over two days, nobody answered.",
        "Transferred three times and nobody could help.",
        "Transferred again and again, had to repeat my complaint.",
    ],
    "aftersale_call": ["Caller did not know my order and could not help."],
    "sales_callback": [
        "Never got the call back I was promised.",
        "Promised a call back twice, no call back.",
    ],
    "warranty": ["Warranty claim submitted weeks ago, no answer."],
    "delivery": ["Delivery arrived outside the agreed window."],
    "invoice": ["Charged twice on the invoice."],
}

SEGMENTS = ["Homeowner", "Homeowner", "Homeowner", "Contractor", "Property manager"]
