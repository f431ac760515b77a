"""Tests are found by path: a module's tests are `tests/<its folder>/test_<module>.py`, or,
for a module tried only through another door (a page, the API, a command), the files
named here. A module with logic that is in neither place fails this test."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("config", "lib", "touchpoints", "journeys", "surveys", "dashboards", "demo")

API = ("tests/api/test_resources.py", "tests/api/test_role_matrix.py")
API_WRITES = (*API, "tests/api/test_write_disclosure.py", "tests/api/test_bad_input.py")
FIGURES = ("tests/dashboards/test_views.py",)  # every builder validated by plotly
MODELS = ("tests/surveys/test_models.py",)  # the database's own constraints

TESTED_THROUGH = {
    "config/gunicorn.py": ("tests/config/test_gunicorn_config.py",),
    "config/wsgi.py": ("tests/lib/test_handlers.py",),
    "lib/api_errors.py": ("tests/api/test_bad_input.py", "tests/config/test_api_docs.py"),
    "lib/client_address.py": ("tests/surveys/asking/test_views.py",),  # the link throttle
    "lib/csv_export.py": ("tests/dashboards/test_views.py",),  # safe cells, every download
    "lib/csv_import.py": ("tests/surveys/asking/test_interaction_import.py",),
    "lib/embedded_postgres.py": ("tests/config/test_settings.py",),  # and every local run
    "lib/json_parser.py": ("tests/api/test_bad_input.py",),
    "lib/mail_headers.py": ("tests/surveys/asking/test_delivery.py",),
    "lib/openapi.py": ("tests/config/test_api_docs.py", "tests/api/test_schema_fuzz.py"),
    "lib/static_finders.py": ("tests/browser/test_static_files.py",),
    "touchpoints/api.py": API_WRITES,
    "touchpoints/colours.py": ("tests/journeys/test_portability.py",),
    "touchpoints/staff_views.py": ("tests/touchpoints/test_staff_accounts.py",),
    "surveys/counting/by_staff.py": ("tests/surveys/follow_ups/test_views.py",),  # my work
    "surveys/customers/forms.py": ("tests/surveys/customers/test_views.py",),
    "surveys/customers/timeline.py": ("tests/surveys/customers/test_views.py",),
    "surveys/designer/forms.py": ("tests/surveys/designer/test_views.py",),
    "surveys/designer/saving.py": ("tests/surveys/designer/test_views.py",),
    "surveys/digest/views.py": ("tests/surveys/digest/test_weekly.py",),  # the link in it
    "surveys/follow_ups/forms.py": ("tests/surveys/follow_ups/test_views.py",),
    "surveys/models/follow_ups.py": ("tests/surveys/follow_ups/test_services.py",),
    "touchpoints/context_processors.py": ("tests/dashboards/test_pages.py",),
    "touchpoints/filters.py": ("tests/touchpoints/test_views.py",),
    "touchpoints/forms.py": ("tests/touchpoints/test_views.py",),
    "touchpoints/identity_views.py": ("tests/touchpoints/test_identity.py",),
    "touchpoints/token_views.py": ("tests/touchpoints/test_api_tokens.py",),
    "touchpoints/models/customers.py": ("tests/touchpoints/test_identity.py",),
    "touchpoints/models/improvements.py": ("tests/dashboards/test_views.py",),
    "touchpoints/models/interactions.py": ("tests/surveys/asking/test_intake.py", *MODELS),
    "touchpoints/models/organisation.py": ("tests/touchpoints/test_roles.py",),
    "touchpoints/models/scoping.py": ("tests/touchpoints/test_roles.py", *API),
    "touchpoints/models/tokens.py": ("tests/touchpoints/test_api_tokens.py",),
    "journeys/api.py": API_WRITES,
    "journeys/forms.py": ("tests/journeys/test_board_editing.py",),
    "journeys/models.py": ("tests/journeys/test_editing.py",),
    "journeys/selectors.py": ("tests/journeys/test_board.py",),
    "journeys/templatetags/board_tags.py": ("tests/journeys/test_board.py",),
    "journeys/views.py": (
        "tests/journeys/test_board_editing.py",
        "tests/journeys/test_journey_editing.py",
        "tests/journeys/test_editor_permissions.py",
    ),
    "surveys/admin.py": ("tests/surveys/asking/test_interaction_import.py",),
    "surveys/apps.py": ("tests/surveys/counting/test_worker_rollups.py",),
    "surveys/enqueue.py": ("tests/surveys/counting/test_drain_backpressure.py",),
    "surveys/tasks.py": (
        "tests/surveys/test_worker_pipeline.py",
        "tests/surveys/counting/test_worker_crashes.py",
    ),
    "surveys/asking/answers.py": ("tests/surveys/asking/test_views.py",),
    "surveys/asking/emails.py": ("tests/surveys/asking/test_delivery.py",),
    "surveys/asking/forms.py": ("tests/surveys/asking/test_views.py",),
    "surveys/asking/links.py": ("tests/surveys/asking/test_delivery.py",),
    "surveys/asking/optout.py": ("tests/surveys/asking/test_delivery.py",),
    "surveys/asking/pages.py": ("tests/surveys/asking/test_views.py",),
    "surveys/asking/public_link_views.py": ("tests/surveys/asking/test_public_answers.py",),
    "surveys/asking/public_views.py": ("tests/surveys/asking/test_public_answers.py",),
    "surveys/asking/qr.py": ("tests/surveys/asking/test_public_answers.py",),
    "surveys/asking/policy.py": ("tests/surveys/asking/test_intake.py",),
    "surveys/asking/serializers.py": ("tests/surveys/asking/test_api.py",),
    "surveys/asking/staff_views.py": API_WRITES,  # follow-ups worked by staff
    "surveys/complaints/api.py": API_WRITES,
    "surveys/complaints/counts.py": ("tests/surveys/complaints/test_services.py",),
    "surveys/complaints/forms.py": ("tests/surveys/complaints/test_services.py",),
    "surveys/complaints/serializers.py": API_WRITES,
    "surveys/complaints/views.py": ("tests/surveys/complaints/test_services.py",),
    "surveys/counting/api.py": API,
    "surveys/counting/paths.py": ("tests/dashboards/test_real_paths.py",),
    "surveys/counting/periods.py": ("tests/dashboards/test_forms.py",),
    "surveys/counting/rollup_sql.py": ("tests/surveys/counting/test_aggregation.py",),
    "surveys/counting/score_text.py": ("tests/dashboards/test_honest_figures.py",),
    "surveys/counting/selectors.py": ("tests/dashboards/test_scores_recomputed.py",),
    "surveys/counting/serializers.py": API,
    "surveys/counting/signals.py": ("tests/surveys/counting/test_aggregation.py",),
    "surveys/management/csv_command.py": ("tests/surveys/asking/test_interaction_import.py",),
    "surveys/management/commands/erase_customer.py": ("tests/surveys/test_privacy.py",),
    "surveys/management/commands/import_complaints.py": (
        "tests/surveys/complaints/test_services.py",
    ),
    "surveys/management/commands/import_interactions.py": (
        "tests/surveys/asking/test_interaction_import.py",
    ),
    "surveys/management/commands/import_responses.py": (
        "tests/surveys/counting/test_importing.py",
    ),
    "surveys/management/commands/rebuild_rollups.py": (
        "tests/surveys/counting/test_rollup_commands.py",
    ),
    "surveys/management/commands/refresh_themes.py": ("tests/surveys/said/test_themes.py",),
    "surveys/management/commands/send_pulse.py": ("tests/surveys/asking/test_pulse.py",),
    "surveys/management/commands/verify_rollups.py": (
        "tests/surveys/counting/test_rollup_commands.py",
    ),
    "surveys/models/asking.py": MODELS,
    "surveys/models/complaints.py": ("tests/surveys/complaints/test_services.py", *MODELS),
    "surveys/models/counting.py": ("tests/surveys/counting/test_aggregation.py",),
    "surveys/models/public.py": ("tests/surveys/asking/test_public_answers.py",),
    "surveys/models/questions.py": (
        "tests/surveys/designer/test_views.py",
        "tests/surveys/asking/test_own_questions.py",
    ),
    "surveys/models/outreach.py": ("tests/surveys/outreach/test_lists.py",),
    "surveys/models/said.py": ("tests/surveys/said/test_themes.py",),
    "surveys/models/telling.py": ("tests/surveys/telling/test_webhooks.py",),
    "surveys/said/shares.py": ("tests/dashboards/test_theme_pages.py",),
    "surveys/said/stopwords.py": ("tests/surveys/said/test_themes.py",),
    "surveys/said/theming.py": ("tests/surveys/said/test_themes.py",),
    "surveys/telling/notifications.py": ("tests/surveys/asking/test_views.py",),
    "surveys/telling/webhook_targets.py": ("tests/surveys/telling/test_webhooks.py",),
    "surveys/telling/webhook_views.py": ("tests/surveys/telling/test_webhooks.py",),
    "dashboards/api.py": API,
    "dashboards/exports.py": ("tests/dashboards/test_views.py",),
    "dashboards/improvements.py": ("tests/dashboards/test_statistics.py",),
    "dashboards/journey_map.py": ("tests/dashboards/test_views.py",),
    "dashboards/priorities.py": ("tests/dashboards/test_views.py",),
    "dashboards/selectors.py": ("tests/dashboards/test_views.py",),
    "dashboards/standards.py": ("tests/surveys/counting/test_standards.py",),
    "dashboards/trends.py": ("tests/dashboards/test_views.py",),
    "dashboards/templatetags/dashboard_tags.py": ("tests/dashboards/test_honest_figures.py",),
    "dashboards/figures/improvements.py": FIGURES,
    "dashboards/figures/lines.py": FIGURES,
    "dashboards/figures/live_map.py": (*FIGURES, "tests/dashboards/test_theme_pages.py"),
    "dashboards/figures/paths.py": ("tests/dashboards/test_real_paths.py",),
    "dashboards/figures/priorities.py": FIGURES,
    "dashboards/figures/standards.py": FIGURES,
    "dashboards/figures/style.py": FIGURES,
    "demo/answers.py": ("tests/demo/test_build.py",),
    "demo/loops.py": ("tests/demo/test_build.py",),
    "demo/paths.py": ("tests/demo/test_build.py",),
    "demo/management/commands/seed_demo.py": ("tests/demo/test_build.py",),
}


def modules_with_logic():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts or path.name == "__init__.py":
                continue
            if any(line.lstrip().startswith("def ") for line in path.read_text().splitlines()):
                yield path.relative_to(ROOT)


def test_every_module_with_logic_has_its_tests_where_one_looks():
    unplaced = []
    for module in modules_with_logic():
        beside = Path("tests", module.parent, f"test_{module.stem}.py")
        if not (ROOT / beside).exists() and str(module) not in TESTED_THROUGH:
            unplaced.append(str(module))
    assert unplaced == [], (
        f"no tests/<folder>/test_<module>.py and not in TESTED_THROUGH: {unplaced}"
    )


def test_the_doors_named_exist_and_the_modules_too():
    for module, tests in TESTED_THROUGH.items():
        assert (ROOT / module).exists(), module
        beside = Path("tests", Path(module).parent, f"test_{Path(module).stem}.py")
        assert not (ROOT / beside).exists(), f"{module} has {beside}: drop it from the list"
        for test in tests:
            assert (ROOT / test).exists(), f"{module}: {test}"
