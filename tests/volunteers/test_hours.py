"""Hours: volunteers log their own, a coordinator verifies (locked) or rejects them with a
reason, and verified hours make a certificate anyone can check."""

import re
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from tests.factories import UserFactory
from volunteers import selectors, services
from volunteers.models import HoursLog, ShiftSignup

from .conftest import worked


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_hours_only_on_roles_where_one_took_a_shift(net):
    with pytest.raises(ValidationError, match="took a shift"):
        services.hours_log(
            user=net.volunteer, role=net.role, day=timezone.localdate(), hours=Decimal("2")
        )
    assert not HoursLog.objects.exists()


@pytest.mark.parametrize(
    ("hours", "days_ago", "message"),
    [("25", 1, "24 hours"), ("0", 1, "quarter"), ("2", -1, "still to come")],
)
def test_bad_hours_are_refused_with_nothing_stored(net, hours, days_ago, message):
    services.shift_signup(user=net.volunteer, shift=net.shift)
    with pytest.raises(ValidationError, match=message):
        worked(net, hours=Decimal(hours), days_ago=days_ago)
    assert not HoursLog.objects.exists()


def test_verify_locks_the_hours_and_tells_the_volunteer(net):
    entry = worked(net)
    services.hours_decide(user=net.coordinator, entry=entry, verify=True)
    entry.refresh_from_db()
    assert entry.status == HoursLog.Status.VERIFIED and entry.decided_by == net.coordinator
    assert Notification.objects.filter(user=net.volunteer, kind="volunteers.hours_verified")
    with pytest.raises(ValidationError, match="decided already"):
        services.hours_decide(user=net.coordinator, entry=entry, verify=False, reason="Oops")
    entry.refresh_from_db()
    assert entry.status == HoursLog.Status.VERIFIED


def test_reject_needs_a_reason(net):
    entry = worked(net)
    with pytest.raises(ValidationError, match="why"):
        services.hours_decide(user=net.coordinator, entry=entry, verify=False, reason="  ")
    entry.refresh_from_db()
    assert entry.status == HoursLog.Status.PENDING
    services.hours_decide(user=net.coordinator, entry=entry, verify=False, reason="Not that day")
    entry.refresh_from_db()
    assert (entry.status, entry.reason) == (HoursLog.Status.REJECTED, "Not that day")
    assert Notification.objects.filter(user=net.volunteer, kind="volunteers.hours_rejected")


def test_only_the_projects_coordinators_decide(net):
    entry = worked(net)
    for user in (net.volunteer, net.team_member, net.other_coordinator):
        with pytest.raises(PermissionDenied):
            services.hours_decide(user=user, entry=entry, verify=True)
    entry.refresh_from_db()
    assert entry.status == HoursLog.Status.PENDING


def test_a_coordinator_cannot_verify_their_own_hours(net):
    services.profile_save(user=net.coordinator)
    entry = worked(net, user=net.coordinator)
    with pytest.raises(PermissionDenied):
        services.hours_decide(user=net.coordinator, entry=entry, verify=True)


# --- Pages ------------------------------------------------------------------------------------


def test_hours_mine_permitted(net):
    services.shift_signup(user=net.volunteer, shift=net.shift)
    client = client_for(net.volunteer)
    url = reverse("volunteers:hours_mine")
    assert client.get(url).status_code == 200
    day = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(url, {"role": net.role.pk, "day": day, "hours": "2.5", "note": "x"})
    assert response.status_code == 302
    assert HoursLog.objects.get().hours == Decimal("2.5")


def test_hours_mine_denied_and_bad_input(net):
    url = reverse("volunteers:hours_mine")
    assert "/accounts/login/" in Client().get(url)["Location"]
    day = timezone.localdate().isoformat()
    # A role where this person has no place is not one of the choices.
    response = client_for(net.no_profile).post(
        url, {"role": net.role.pk, "day": day, "hours": "2"}
    )
    assert response.status_code == 200
    services.shift_signup(user=net.volunteer, shift=net.shift)
    response = client_for(net.volunteer).post(
        url, {"role": net.role.pk, "day": day, "hours": "30"}
    )
    assert response.status_code == 200 and "24 hours" in response.content.decode()
    assert not HoursLog.objects.exists()


def test_hours_review_permitted(net):
    worked(net)
    response = client_for(net.coordinator).get(
        reverse("volunteers:hours_review", args=[net.project.pk])
    )
    assert response.status_code == 200
    assert "Helped with maths" in response.content.decode()


def test_hours_review_denied(net):
    worked(net)
    url = reverse("volunteers:hours_review", args=[net.project.pk])
    assert "/accounts/login/" in Client().get(url)["Location"]
    for user in (net.volunteer, net.team_member, net.other_coordinator):
        assert client_for(user).get(url).status_code == 403


def test_hours_decide_permitted(net):
    entry = worked(net)
    client = client_for(net.coordinator)
    url = reverse("volunteers:hours_decide", args=[entry.pk, "reject"])
    client.post(url, {"reason": ""})
    entry.refresh_from_db()
    assert entry.status == HoursLog.Status.PENDING
    client.post(reverse("volunteers:hours_decide", args=[entry.pk, "verify"]))
    entry.refresh_from_db()
    assert entry.status == HoursLog.Status.VERIFIED


def test_hours_decide_denied(net):
    entry = worked(net)
    url = reverse("volunteers:hours_decide", args=[entry.pk, "verify"])
    assert "/accounts/login/" in Client().post(url)["Location"]
    for user in (net.volunteer, net.team_member, net.other_coordinator):
        assert client_for(user).post(url).status_code == 403
    assert client_for(net.coordinator).get(url).status_code == 405
    entry.refresh_from_db()
    assert entry.status == HoursLog.Status.PENDING


def test_hours_review_queries_do_not_grow(net, django_assert_max_num_queries):
    url = reverse("volunteers:hours_review", args=[net.project.pk])
    worked(net)
    client = client_for(net.coordinator)

    def page():
        with django_assert_max_num_queries(25) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    page()
    few = page()
    people = [UserFactory(username=f"many_{i}") for i in range(50)]
    ShiftSignup.objects.bulk_create(ShiftSignup(shift=net.shift, user=p) for p in people)
    HoursLog.objects.bulk_create(
        HoursLog(user=p, role=net.role, day=timezone.localdate(), hours=1) for p in people
    )
    assert page() <= few


def test_hours_mine_queries_do_not_grow(net, django_assert_max_num_queries):
    url = reverse("volunteers:hours_mine")
    worked(net)
    client = client_for(net.volunteer)

    def page():
        with django_assert_max_num_queries(25) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    page()
    few = page()
    HoursLog.objects.bulk_create(
        HoursLog(user=net.volunteer, role=net.role, day=timezone.localdate(), hours=1)
        for _ in range(50)
    )
    assert page() <= few


# --- The certificate --------------------------------------------------------------------------


def test_certificate_counts_only_verified_hours_and_its_link_checks_out(net):
    services.hours_decide(user=net.coordinator, entry=worked(net, hours="3"), verify=True)
    worked(net, hours="2", days_ago=2)  # still pending
    response = client_for(net.volunteer).get(reverse("volunteers:certificate"))
    assert response.status_code == 200
    rows, total = selectors.verified_totals(net.volunteer)
    assert total == Decimal("3")
    found = re.search(
        r'href="https?://[^/"]+(/volunteer/certificate/[^"/]+/)"', response.content.decode()
    )
    assert found, "the certificate links to its check"
    verify_url = found.group(1)
    checked = Client().get(verify_url)
    assert checked.status_code == 200
    assert "3 verified volunteer hours" in checked.content.decode()


def test_a_forged_certificate_is_refused(net):
    token = selectors.certificate_token(net.volunteer, Decimal("3"), timezone.localdate())
    forged = selectors.certificate_token(net.volunteer, Decimal("300"), timezone.localdate())
    tampered = forged.split(":")[0] + ":" + token.split(":", 1)[1]
    for bad in (tampered, "nothing", token[:-2] + "xx"):
        url = reverse("volunteers:certificate_verify", args=[bad])
        assert Client().get(url).status_code == 404


def test_the_same_certificate_always_carries_the_same_link(net, monkeypatch):
    """The page and its PDF are made seconds apart: both must carry one address."""
    today = timezone.localdate()
    token = selectors.certificate_token(net.volunteer, Decimal("3"), today)
    later = time.time() + 3600
    monkeypatch.setattr(signing.time, "time", lambda: later)
    assert selectors.certificate_token(net.volunteer, Decimal("3"), today) == token
    assert selectors.certificate_token(net.volunteer, Decimal("4"), today) != token


def test_a_link_issued_in_the_earlier_form_still_checks(net):
    claim = {"u": net.volunteer.pk, "h": "3", "d": timezone.localdate().isoformat()}
    earlier = signing.dumps(claim, salt=selectors.CERTIFICATE_SALT)  # with a timestamp
    assert selectors.certificate_check(earlier) == claim
    url = reverse("volunteers:certificate_verify", args=[earlier])
    assert "3 verified volunteer hours" in Client().get(url).content.decode()


def test_certificate_denied_to_anonymous(net):
    assert "/accounts/login/" in Client().get(reverse("volunteers:certificate"))["Location"]
    assert "/accounts/login/" in Client().get(reverse("volunteers:certificate_pdf"))["Location"]


def test_certificate_as_a_pdf_with_the_hours_and_the_link_that_checks_it(net):
    net.volunteer.first_name, net.volunteer.last_name = "Laia", "Puig"
    net.volunteer.save()
    services.hours_decide(user=net.coordinator, entry=worked(net, hours="3.5"), verify=True)
    worked(net, hours="2", days_ago=2)  # still pending: not on the certificate
    response = client_for(net.volunteer).get(reverse("volunteers:certificate_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    assert b"Laia Puig gave 3.50 hours of volunteering" in pdf
    assert b"5.50" not in pdf
    page = client_for(net.volunteer).get(reverse("volunteers:certificate")).content.decode()
    page_url = re.search(r'href="(https?://[^"]+/volunteer/certificate/[^"/]+/)"', page)[1]
    # The link is clickable as a whole and printed (in pieces that fit the page).
    uri = re.search(rb"/URI \((https?://[^)]+/volunteer/certificate/[^)/]+/)\)", pdf)
    assert uri, "the PDF carries no clickable link to the check page"
    verify_url = uri[1].decode()
    # Both links certify the same thing; the signatures may differ by the second they were made in.
    assert verify_url.rsplit("/", 2)[1].split(":")[0] == page_url.rsplit("/", 2)[1].split(":")[0]
    printed = b"".join(re.findall(rb"\((.*?)\) Tj", pdf))
    assert verify_url.encode() in printed
    path = verify_url.split("://", 1)[1].split("/", 1)[1]
    assert "3.50 verified volunteer hours" in Client().get(f"/{path}").content.decode()


def test_verified_hours_are_offered_to_the_impact_map(net):
    from wagtail import hooks

    services.hours_decide(user=net.coordinator, entry=worked(net, hours="3"), verify=True)
    offers = [row for fn in hooks.get_hooks("impact_input_suggestions") for row in fn(net.project)]
    year = (timezone.localdate() - timedelta(days=1)).year
    assert offers == [
        {
            "key": f"volunteers:{year}",
            "kind": "volunteer_hours",
            "year": year,
            "hours": Decimal("3"),
            "source": "volunteers",
            "people": 1,
            "description": f"Volunteer hours given in {year}, verified by the project's "
            "coordinators (1 volunteer)",
            "contributor": "The project's volunteers",
        }
    ]
