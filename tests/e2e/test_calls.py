"""A call for social entrepreneurship in Chromium against a live daphne: the manager adds and
edits a question and a criterion on the call's form page, an applicant applies with an answer
and a PDF, and the manager downloads the PDF from the applications page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.pages import sign_in
from tests.e2e.test_accessibility import AXE, BLOCKING, _describe, run_axe
from tests.factories import UserFactory
from tests.services import missing
from tests.utils import approved_organization
from volunteers import calls
from volunteers.models import CallAnswer, CallApplication, CallCriterion, CallQuestion

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _accessible(page, name):
    violations = [v for v in run_axe(page) if v["impact"] in BLOCKING]
    assert violations == [], f"{name}:\n{_describe(violations)}"


def test_manager_sets_the_form_an_applicant_attaches_a_pdf_and_the_manager_downloads_it(
    daphne_factory, new_page, tmp_path
):
    if not AXE.exists():
        missing("axe-core (node_modules/axe-core: run npm ci)")
    manager = UserFactory(username="c_manager", first_name="Núria")
    organization = approved_organization(admin=manager, title="Fundació Impuls")
    UserFactory(username="c_applicant", first_name="Pau", last_name="Serra")
    call = calls.call_open(
        user=manager,
        organization=organization,
        title="Ventures for digital inclusion",
        challenge="Bring older people online.",
        deadline=timezone.localdate() + timedelta(days=20),
    )
    server = daphne_factory(DJANGO_MEDIA_ROOT=tmp_path / "media")
    (tmp_path / "plan.pdf").write_bytes(PDF)
    setup_url = f"{server.url}/calls/{call.pk}/form/"

    # Núria adds a question and a criterion, then edits both.
    nuria = new_page()
    sign_in(nuria, server, "c_manager")
    nuria.goto(setup_url)
    add_question = nuria.locator("main form:has(button:text('Add the question'))")
    add_question.get_by_label("Question").fill("Who benefits?")
    add_question.get_by_role("button", name="Add the question").click()
    nuria.wait_for_selector("text=The call's form is saved.")
    add_criterion = nuria.locator("main form:has(button:text('Add the criterion'))")
    add_criterion.get_by_label("Criterion").fill("Impact")
    add_criterion.get_by_label("Weight").fill("2")
    add_criterion.get_by_role("button", name="Add the criterion").click()
    nuria.wait_for_selector("text=The call's form is saved.")
    question = CallQuestion.objects.get(call=call)
    criterion = CallCriterion.objects.get(call=call)

    nuria.get_by_text("Edit “Who benefits?”").click()
    edit = nuria.locator(f"main form:has(input[name=edit][value='{question.pk}'])")
    edit.get_by_label("Question").fill("Who benefits, and how?")
    edit.get_by_label("Longest answer (characters)").fill("300")
    edit.get_by_role("button", name="Save the question").click()
    nuria.wait_for_selector("text=The call's form is saved.")
    nuria.get_by_text("Edit “Impact”").click()
    edit = nuria.locator(f"main form:has(input[name=edit][value='{criterion.pk}'])")
    edit.get_by_label("Weight").fill("0")
    edit.get_by_role("button", name="Save the criterion").click()
    nuria.wait_for_selector("text=Ensure this value is greater than or equal to 1.")
    criterion.refresh_from_db()
    assert criterion.weight == 2
    edit = nuria.locator(f"main form:has(input[name=edit][value='{criterion.pk}'])")
    edit.get_by_label("Criterion").fill("Social impact")
    edit.get_by_label("Weight").fill("3")
    edit.get_by_role("button", name="Save the criterion").click()
    nuria.wait_for_selector("text=The call's form is saved.")
    question.refresh_from_db()
    criterion.refresh_from_db()
    assert (question.text, question.max_length) == ("Who benefits, and how?", 300)
    assert (criterion.name, criterion.weight) == ("Social impact", 3)
    _accessible(nuria, "the call's form page")

    # Pau applies with an answer and his plan as a PDF.
    pau = new_page()
    sign_in(pau, server, "c_applicant")
    pau.goto(f"{server.url}/calls/{call.pk}/")
    form = pau.locator("main form[action$='/apply/']")
    form.get_by_label("Team").fill("Pau and two classmates")
    form.get_by_label("Proposal").fill("Weekly digital companions for older neighbours.")
    form.get_by_label("Who benefits, and how?").fill("Thirty older people who live alone.")
    _accessible(pau, "the application form")
    form.locator("input[name=attachments]").set_input_files(str(tmp_path / "plan.pdf"))
    form.get_by_role("button", name="Submit the application").click()
    pau.wait_for_selector("text=Your application is submitted.")
    application = CallApplication.objects.get(call=call)
    assert CallAnswer.objects.get(application=application).text == (
        "Thirty older people who live alone."
    )
    assert pau.get_by_role("link", name="plan.pdf").count() == 1

    # Núria sees it among the applications and downloads the PDF; the form is now locked.
    nuria.goto(f"{server.url}/calls/{call.pk}/applications/")
    nuria.wait_for_selector("text=Thirty older people who live alone.")
    with nuria.expect_download() as download:
        nuria.get_by_role("link", name="plan.pdf").click()
    assert download.value.suggested_filename == "plan.pdf"
    assert open(download.value.path(), "rb").read() == PDF
    nuria.goto(setup_url)
    nuria.wait_for_selector("text=cannot change once an application arrives")
    assert nuria.get_by_role("button", name=re.compile("Save the")).count() == 0
