"""The trainer's attendance sheet in real Chromium on a phone-sized screen: marked without a
connection, it waits on the device and is stored exactly once when the connection returns."""

import pytest

from tests.chat.conftest import session_cookie
from tests.training.builders import build_world
from training.models import Attendance, AttendanceSheet

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QUEUED = """async () => {
    const db = await new Promise((resolve, reject) => {
        const request = indexedDB.open("cluster-attendance", 1);
        request.onupgradeneeded = () =>
            request.result.createObjectStore("outbox", {keyPath: "client_id"});
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
    });
    const count = await new Promise((resolve) => {
        const request = db.transaction("outbox").objectStore("outbox").count();
        request.onsuccess = () => resolve(request.result);
    });
    db.close();
    return count;
}"""


def test_attendance_marked_offline_is_sent_once_when_back(daphne_factory, browser):
    w = build_world()
    session, first, second = w.sessions[0], w.enrolments[0], w.enrolments[1]
    server = daphne_factory()
    url = f"{server.url}/portal/training/sessions/{session.pk}/attendance/"
    context = browser.new_context(locale="en-GB", viewport={"width": 360, "height": 740})
    context.set_default_timeout(20_000)
    context.add_cookies(
        [{"name": "sessionid", "value": session_cookie(w.trainer), "url": server.url}]
    )
    page = context.new_page()
    try:
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360

        context.set_offline(True)
        page.check(f"input[name='mark-{first.pk}'][value='present']")
        page.check(f"input[name='mark-{second.pk}'][value='absent']")
        page.get_by_role("button", name="Save attendance").click()
        page.wait_for_selector("[data-attendance-status]:has-text('No connection')")
        assert page.evaluate(QUEUED) == 1
        assert not Attendance.objects.exists()

        context.set_offline(False)
        page.wait_for_selector("[data-attendance-status]:has-text('Attendance saved.')")
        page.wait_for_function(f"({QUEUED})().then(count => count === 0)")
        assert AttendanceSheet.objects.filter(session=session).count() == 1
        marks = dict(Attendance.objects.values_list("enrolment_id", "status"))
        assert marks == {first.pk: "present", second.pk: "absent"}

        # A new visit sends nothing again; the sheet shows what was stored.
        page.reload()
        assert page.is_checked(f"input[name='mark-{first.pk}'][value='present']")
        assert page.evaluate(QUEUED) == 0
        assert AttendanceSheet.objects.count() == 1
        assert Attendance.objects.count() == 2
    finally:
        context.close()
