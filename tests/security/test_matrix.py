"""The permission matrix of DESIGN.md over every door of the project.

Every URL pattern the resolver knows must be declared in ``DOORS`` (or fall in a third-party
group of ``GROUPS``), so a new door cannot be added without deciding who may use it. Each cell
is the outcome of a GET by one role against one scope of objects:

- ``own``: the organization of ``admin`` and ``member`` (a partner on the coordinator's
  published project, ``member`` on its team), that project, their membership, participation,
  a pending invitation, the project's impact map; for the Wagtail page door, the project page.
- ``other``: another organization (``other_admin``'s) with its own published project
  (``other_admin`` coordinates it), no impact map; for the Wagtail page door, a draft project
  of that organization.

POST-only doors answer 405 to a GET (declared); a destructive action answers a GET with its
confirmation page to those who may take it (``core.confirm``), and the same refusal as its POST
to everyone else. The membership, participation and team actions are also POSTed by every role
that may not use them, and nothing may change. Every chat frame type a client may send is
declared too and checked against the consumer's dispatch table.
"""

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from partners.selectors import invitation_token
from resources.selectors import feed_token as resources_feed_token
from tests.factories import UserFactory
from workspace.selectors import feed_token

LOGIN = "login"  # 302 to the sign-in page
ROLES = (
    "anonymous",
    "no_org",
    "member",
    "other_admin",
    "admin",
    "coordinator",
    "editor",
    "superuser",
)


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), namespace + (pattern.name or "")


def all_routes():
    """(route, name) of every URL pattern the resolver knows, includes walked recursively."""
    return list(_walk(get_resolver().url_patterns))


class World:
    """One shared set of organizations, projects and people, built once per module."""


def _build_world():
    from django.contrib.auth.models import Group

    from impact.services import impact_map_create
    from notifications.services import notification_create
    from partners.models import Membership
    from partners.services import invitation_create
    from people.services import profile_update
    from projects.models import Participation
    from projects.services import project_propose
    from tests.base_content import ensure_base_content
    from tests.utils import approved_organization, approved_project, project_with_partner_on_team

    ensure_base_content()
    w = World()
    w.coordinator = UserFactory(username="m_coordinator")
    w.admin = UserFactory(username="m_admin")
    w.member = UserFactory(username="m_member")
    project, organization, _ = project_with_partner_on_team(
        coordinator=w.coordinator, partner_admin=w.admin, member=w.member
    )
    w.other_admin = UserFactory(username="m_other_admin")
    w.no_org = UserFactory(username="m_no_org")
    w.editor = UserFactory(username="m_editor")
    w.editor.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    w.superuser = UserFactory(username="m_super", is_superuser=True, is_staff=True)
    other_organization = approved_organization(admin=w.other_admin, title="Other org")
    other_project = approved_project(
        coordinator=w.other_admin, lead=other_organization, title="Other project"
    )
    draft = project_propose(
        user=w.other_admin, lead_organization=other_organization, title="Draft project"
    )
    w.scopes = {
        "own": {
            "org": organization,
            "project": project,
            "participation": Participation.objects.get(project=project, organization=organization),
            "membership": Membership.objects.get(organization=organization, user=w.member),
            "invitation": invitation_create(
                organization=organization, email="own@example.org", invited_by=w.admin
            ),
            "user": w.member,
            "page": project,
        },
        "other": {
            "org": other_organization,
            "project": other_project,
            "participation": Participation.objects.get(
                project=other_project, organization=other_organization
            ),
            "membership": Membership.objects.get(
                organization=other_organization, user=w.other_admin
            ),
            "invitation": invitation_create(
                organization=other_organization,
                email="other@example.org",
                invited_by=w.other_admin,
            ),
            "user": w.other_admin,
            "page": draft,
        },
    }
    impact_map_create(project=project, user=w.coordinator, kind="forecast")
    for scope in w.scopes.values():
        scope["notification"] = notification_create(
            user=scope["user"],
            kind="projects.team_added",
            render=lambda: ("A notification", ""),
            url="/portal/",
            email=False,
        )
    _build_communities(w)
    profile_update(user=w.member, bio="Shown to the cluster", shown=True)
    _resources_world(w, organization, other_organization)
    _opportunities_world(w, organization, other_organization)
    _crm_world(w, organization, other_organization)
    _training_world(w)
    _volunteers_world(w)
    _workspace_world(w)
    # Sessions made once: each test's savepoint leaves them in place.
    w.clients = {}
    for role in ROLES:
        w.clients[role] = Client()
        if role != "anonymous":
            w.clients[role].force_login(getattr(w, role))
    return w


def _build_communities(w):
    """``own``: an open community the coordinator facilitates and ``member`` belongs to, with a
    public question, answer and item; ``other``: one by approval that ``other_admin``
    facilitates, where ``no_org`` waits, with a members-only question and item. Each has a
    session that took place."""
    from datetime import timedelta

    from django.utils import timezone

    from knowledge.models import Community
    from knowledge.services import (
        answer_post,
        community_create,
        item_propose,
        item_review,
        membership_join,
        question_ask,
        session_create,
    )

    for scope, facilitator, joiner, joining, private in (
        ("own", w.coordinator, w.member, Community.Joining.OPEN, False),
        ("other", w.other_admin, w.no_org, Community.Joining.APPROVAL, True),
    ):
        community = community_create(
            user=w.editor,
            name=f"Community {scope}",
            summary="A community of practice",
            joining=joining,
            facilitators=[facilitator],
        )
        membership = membership_join(community=community, user=joiner)
        question = question_ask(
            community=community, user=facilitator, title="A question", members_only=private
        )
        item = item_propose(
            user=facilitator, community=community, title=f"Item {scope}", members_only=private
        )
        held = timezone.now() - timedelta(days=2)
        w.scopes[scope]["knowledge_session"] = session_create(
            community=community,
            user=facilitator,
            title="A past session",
            starts_at=held,
            ends_at=held + timedelta(hours=1),
            location="Vic",
        )
        w.scopes[scope].update(
            community=community,
            community_membership=membership,
            question=question,
            answer=answer_post(question=question, user=facilitator, body="An answer"),
            item=item_review(item=item, user=facilitator, approve=True),
        )


def _resources_world(w, organization, other_organization):
    """Own: a public offer of the admin's organization, booked weekly by the other
    organization, and a request it answered. Other: a cluster-only offer of the other
    organization, booked weekly by the admin's."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from resources.bookings import booking_series_request
    from resources.services import answer_create, listing_create

    expires = timezone.localdate() + timedelta(days=60)
    start = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=3), time(10))
    )
    for scope, owner, owner_admin, booker, booker_admin, audience in (
        ("own", organization, w.admin, other_organization, w.other_admin, "public"),
        ("other", other_organization, w.other_admin, organization, w.admin, "cluster"),
    ):
        listing = listing_create(
            user=owner_admin,
            organization=owner,
            type="offer",
            kind="room",
            title=f"Room of {owner.title}",
            audience=audience,
            expires_on=expires,
        )
        series = booking_series_request(
            user=booker_admin,
            listing=listing,
            organization=booker,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            weeks=2,
        )
        request = listing_create(
            user=owner_admin,
            organization=owner,
            type="request",
            kind="vehicle",
            title=f"Van for {owner.title}",
            audience="public",
            expires_on=expires,
        )
        answer = answer_create(
            user=booker_admin, request=request, organization=booker, message="Ours"
        )
        w.scopes[scope].update(
            listing=listing, series=series, booking=series.bookings.first(), answer=answer
        )


def _opportunities_world(w, organization, other_organization):
    """Own: a published call, a published post of the admin's organization, a published event
    both organizations registered for, with a meeting the own organization asked for. Other: a
    call waiting for review, the other organization's post waiting for review, a draft event, and
    the meeting the other organization asked for."""
    from datetime import timedelta

    from django.core import signing
    from django.utils import timezone

    from opportunities import services as opportunities
    from opportunities.models import Event, MeetingSlot, PartnerInterest
    from opportunities.views import FEED_SALT

    today = timezone.localdate()
    calls = {
        scope: opportunities.call_propose(
            user=user,
            title=f"Call {scope}",
            funder_type="eu",
            funder="EU",
            deadline=today + timedelta(days=30),
        )
        for scope, user in (("own", w.editor), ("other", w.other_admin))
    }
    posts = {
        scope: opportunities.post_create(
            user=user,
            organization=org,
            direction="seek",
            title=f"Post {scope}",
            purpose="A partner",
            expires_on=today + timedelta(days=30),
        )
        for scope, user, org in (
            ("own", w.admin, organization),
            ("other", w.other_admin, other_organization),
        )
    }
    opportunities.post_review(user=w.editor, post=posts["own"], approve=True)
    start = timezone.now() + timedelta(days=5)
    events = {
        scope: Event.objects.create(
            title=f"Event {scope}",
            starts_at=start,
            ends_at=start + timedelta(hours=6),
            published=scope == "own",
        )
        for scope in ("own", "other")
    }
    slots = [
        MeetingSlot.objects.create(
            event=events["own"],
            starts_at=start + timedelta(minutes=30 * n),
            ends_at=start + timedelta(minutes=30 * (n + 1)),
        )
        for n in range(2)
    ]
    registrations = {
        scope: opportunities.event_register(user=user, event=events["own"], organization=org)
        for scope, user, org in (
            ("own", w.admin, organization),
            ("other", w.other_admin, other_organization),
        )
    }
    meetings = {
        "own": opportunities.meeting_request(
            user=w.member, slot=slots[0], requester=organization, recipient=other_organization
        ),
        "other": opportunities.meeting_request(
            user=w.other_admin,
            slot=slots[1],
            requester=other_organization,
            recipient=organization,
        ),
    }
    # Own: the other organization is interested in the own post (a conversation of the two
    # admins). Other: the own organization's interest in the other post, from when it was
    # listed; its conversation stays theirs whatever became of the post.
    interests = {
        "own": opportunities.interest_express(
            user=w.other_admin, post=posts["own"], organization=other_organization, message="Hi"
        ),
        "other": PartnerInterest.objects.create(
            post=posts["other"], organization=organization, message="Hello"
        ),
    }
    for scope in ("own", "other"):
        w.scopes[scope].update(
            interest=interests[scope],
            registration=registrations[scope],
            call=calls[scope],
            post=posts[scope],
            event=events[scope],
            meeting=meetings[scope],
            agenda_key=signing.dumps(w.scopes[scope]["user"].pk, salt=FEED_SALT),
        )


def _crm_world(w, organization, other_organization):
    """Own: the admin exports and the member views their organization's contacts. Other: the
    other admin exports theirs. Nobody else holds a CRM role."""
    from crm.models import ContactImport
    from crm.services import book_get_or_create, contact_create, crm_role_set, segment_create

    for scope, org, roles in (
        ("own", organization, ((w.admin, "exporter"), (w.member, "viewer"))),
        ("other", other_organization, ((w.other_admin, "exporter"),)),
    ):
        for user, role in roles:
            crm_role_set(organization=org, user=user, role=role, by=user)
        book = book_get_or_create(org)
        w.scopes[scope]["contact"] = contact_create(
            book=book, name=f"Contact of {scope}", emails=["c@example.org"]
        )
        w.scopes[scope]["segment"] = segment_create(
            book=book, name="Newsletter", purpose="newsletter", channel="email"
        )
        w.scopes[scope]["contact_import"] = ContactImport.objects.create(
            book=book, by=user, file_name="contacts.csv", header=["name"], mapping=["name"]
        )


def _training_world(w):
    """Own: a programme of the coordinator's project where ``member`` trains and mentors a
    learner who completed; other: the same in ``other_admin``'s project, all theirs."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from training import services

    today = timezone.localdate()
    for scope, lead, helper in (
        ("own", w.coordinator, w.member),
        ("other", w.other_admin, w.other_admin),
    ):
        programme = services.programme_create(
            user=lead, project=w.scopes[scope]["project"], title=f"Programme {scope}"
        )
        if helper != lead:
            services.staff_set(programme=programme, user=lead, person=helper, role="trainer")
        cohort = services.cohort_create(
            programme=programme,
            user=lead,
            name="Cohort",
            starts_on=today - timedelta(days=5),
            ends_on=today + timedelta(days=5),
            capacity=5,
            language="es",
        )
        session = services.session_create(
            cohort=cohort,
            user=lead,
            topic="HTML",
            starts_at=timezone.make_aware(datetime.combine(today, time(10))),
        )
        learner = services.learner_register(
            programme=programme,
            user=lead,
            cohort=cohort,
            alias="Ana",
            birth_year=today.year - 20,
            eligibility="neet",
            legal_basis="consent",
            referral="entity",
        )
        enrolment = learner.enrolments.get()
        for status in ("interviewed", "enrolled", "active"):
            services.enrolment_set_status(enrolment=enrolment, user=lead, status=status)
        services.attendance_record(session=session, user=lead, marks={enrolment.pk: "present"})
        services.enrolment_set_status(enrolment=enrolment, user=lead, status="completed")
        mentorship = services.mentorship_start(learner=learner, user=lead, mentor=helper)
        w.scopes[scope].update(
            programme=programme,
            cohort=cohort,
            session=session,
            learner=learner,
            enrolment=enrolment,
            certificate=services.certificate_issue(enrolment=enrolment, user=lead),
            mentorship=mentorship,
            goal=services.goal_add(mentorship=mentorship, user=helper, title="A goal"),
            checkin=services.checkin_add(
                mentorship=mentorship, user=helper, held_on=today, minutes=30
            ),
        )


def _volunteers_world(w):
    """Own: a role with a shift on the coordinator's project, where ``member`` logged hours.
    Other: the same on ``other_admin``'s project, with hours of ``no_org``."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from volunteers import services as volunteering
    from volunteers.selectors import certificate_token

    start = timezone.now() + timedelta(days=2)
    for scope, coordinator, volunteer in (
        ("own", w.coordinator, w.member),
        ("other", w.other_admin, w.no_org),
    ):
        role = volunteering.role_create(
            user=coordinator, project=w.scopes[scope]["project"], title=f"Helper {scope}"
        )
        shift = volunteering.shift_create(
            user=coordinator,
            role=role,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            places=3,
        )
        volunteering.profile_save(user=volunteer)
        volunteering.shift_signup(user=volunteer, shift=shift)
        entry = volunteering.hours_log(
            user=volunteer, role=role, day=timezone.localdate(), hours=Decimal("2")
        )
        screening = volunteering.role_create(
            user=coordinator,
            project=w.scopes[scope]["project"],
            title=f"Mentor {scope}",
            screening=True,
            agreement="The terms",
        )
        application = volunteering.role_apply(user=volunteer, role=screening)
        volunteering.application_decide(
            user=coordinator, application=application, decision="accept"
        )
        w.scopes[scope].update(
            role=role,
            shift=shift,
            hours_entry=entry,
            volunteer_certificate=certificate_token(volunteer, Decimal("0"), timezone.localdate()),
            role_application=application,
        )
    # Calls: own is opened by the admin's organization, applied to by ``member`` and reviewed
    # by the coordinator; other by ``other_admin``'s, applied to by ``no_org``, reviewed by
    # ``member``. Each application attaches a PDF.
    from django.core.files.uploadedfile import SimpleUploadedFile

    from volunteers import calls

    for scope, opener, applicant, reviewer in (
        ("own", w.admin, w.member, w.coordinator),
        ("other", w.other_admin, w.no_org, w.member),
    ):
        call = calls.call_open(
            user=opener,
            organization=w.scopes[scope]["org"],
            title=f"Call {scope}",
            challenge="A challenge",
            deadline=timezone.localdate() + timedelta(days=20),
        )
        application = calls.application_submit(
            user=applicant,
            call=call,
            team="A team",
            proposal="A proposal",
            attachments=[SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n")],
        )
        review = calls.review_assign(
            user=opener, application=application, username=reviewer.username
        )
        # The application is accepted: a venture with the opener as its mentor, a milestone
        # and a check-in.
        from volunteers import ventures

        application = calls.application_decide(user=opener, application=application, accept=True)
        ventures.mentor_assign(user=opener, venture=application, mentor_id=opener.pk)
        milestone = ventures.milestone_add(
            user=opener, venture=application, title="Prototype", due_on=timezone.localdate()
        )
        checkin = ventures.checkin_add(
            user=opener, venture=application, held_on=timezone.localdate(), minutes=60
        )
        w.scopes[scope].update(
            venture_call=call,
            call_application=application,
            review=review,
            call_attachment=application.attachments.get(),
            milestone=milestone,
            venture_checkin=checkin,
        )


def _workspace_world(w):
    """Own: a document ``member`` uploaded to the coordinator's project. Other: one
    ``other_admin`` uploaded to theirs."""
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from workspace.services import document_upload, meeting_create, task_create, update_publish

    for scope, user in (("own", w.member), ("other", w.other_admin)):
        project = w.scopes[scope]["project"]
        document = document_upload(
            project=project,
            user=user,
            upload=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4\n%%EOF\n"),
        )
        task = task_create(project=project, user=user, title="A task", assignees=[user])
        starts = timezone.now() + timedelta(days=2)
        meeting = meeting_create(
            project=project,
            user=user,
            title="A meeting",
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
        )
        update = update_publish(
            project=project,
            user=w.coordinator if scope == "own" else w.other_admin,
            title="News",
            body="Some news",
            language="en",
        )
        w.scopes[scope].update(document=document, task=task, meeting=meeting, update=update)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built inside one outer transaction; each test's own atomic block is a savepoint in it."""
    media = override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media")))
    with media, django_db_blocker.unblock():
        with transaction.atomic():
            yield _build_world()
            transaction.set_rollback(True)


ROUTES_BY_NAME = {}


def _url(name, scope):
    if name == "wagtail_serve":
        return scope["page"].get_url()
    if not ROUTES_BY_NAME:
        ROUTES_BY_NAME.update((n, r) for r, n in all_routes())
    route = ROUTES_BY_NAME[name]
    values = {
        "token": invitation_token(scope["invitation"]),
        "invitation_id": scope["invitation"].pk,
        "membership_id": scope["membership"].pk,
        "user_id": scope["user"].pk,
        "pk": scope["participation"].pk,
        "project_id": scope["project"].pk,
        "page_id": scope["project" if name.startswith("portal:project_") else "org"].pk,
        "kind": "forecast",
        "fmt": "json",
        "notification_id": scope["notification"].pk,
        "slug": scope["community"].slug,
        "question_id": scope["question"].pk,
        "answer_id": scope["answer"].pk,
        "member_id": scope["community_membership"].pk,
        "item_id": scope["item"].pk,
    }
    if name.startswith("knowledge:"):
        values["session_id"] = scope["knowledge_session"].pk
    if name.startswith("portal:crm_"):
        values["contact_id"] = scope["contact"].pk
        values["segment_id"] = scope["segment"].pk
        values["import_id"] = scope["contact_import"].pk
    if name.startswith("resources:"):
        values.update(
            listing_id=scope["listing"].pk,
            organization_id=scope["org"].pk,
            series_id=scope["series"].pk,
            booking_id=scope["booking"].pk,
            action="approve",
            answer_id=scope["answer"].pk,
        )
    if name.startswith(("opportunities:", "events:", "cluster_figures:")):
        values.update(
            call_id=scope["call"].pk,
            post_id=scope["post"].pk,
            event_id=scope["event"].pk,
            meeting_id=scope["meeting"].pk,
            action="accept",
            agenda_key=scope["agenda_key"],
            figure="region",
            interest_id=scope["interest"].pk,
            registration_id=scope["registration"].pk,
        )
    if name.startswith("portal:training_"):
        values.update(
            programme_id=scope["programme"].pk,
            cohort_id=scope["cohort"].pk,
            session_id=scope["session"].pk,
            learner_id=scope["learner"].pk,
            enrolment_id=scope["enrolment"].pk,
            certificate_id=scope["certificate"].pk,
            mentorship_id=scope["mentorship"].pk,
            goal_id=scope["goal"].pk,
            checkin_id=scope["checkin"].pk,
        )
    if name.startswith("volunteers:"):
        values.update(
            role_id=scope["role"].pk,
            shift_id=scope["shift"].pk,
            entry_id=scope["hours_entry"].pk,
            action="verify",
            token=scope["volunteer_certificate"],
            application_id=scope["role_application"].pk,
            decision="accept",
            organization_id=scope["org"].pk,
        )
    if name.startswith("calls:"):
        values.update(
            call_id=scope["venture_call"].pk,
            application_id=scope["call_application"].pk,
            review_id=scope["review"].pk,
            attachment_id=scope["call_attachment"].pk,
            action="accept",
            milestone_id=scope["milestone"].pk,
            checkin_id=scope["venture_checkin"].pk,
        )
    if name == "portal:notification_unsubscribe":
        from notifications.unsubscribe import unsubscribe_token

        values["token"] = unsubscribe_token(scope["user"].pk, "projects.team_added")
    if "document" in scope:
        values.update(
            document_id=scope["document"].pk,
            version_id=scope["document"].current_id,
            task_id=scope["task"].pk,
            meeting_id=scope["meeting"].pk,
            update_id=scope["update"].pk,
            feed=feed_token(scope["user"]),
        )
    if name.startswith("resources:"):
        values["feed"] = resources_feed_token(scope["user"])
    kwargs = {
        key: value for key, value in values.items() if f"{key}>" in route or f"(?P<{key}>" in route
    }
    return reverse(name, kwargs=kwargs)


def _outcome(response):
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return LOGIN
    return response.status_code


def _client(role, w):
    return w.clients[role]


# Third-party doors, each a group with one representative URL: Wagtail's admin, Django's admin,
# allauth, Wagtail's documents, the read-only API and Wagtail's page-privacy helpers.
GROUPS = {
    "admin/": "/admin/",
    # The capability vocabularies' terms: editors (and superusers) only.
    "admin/snippets/partners/capabilityterm/": "/admin/snippets/partners/capabilityterm/add/",
    "django-admin/": "/django-admin/",
    "accounts/": "/accounts/email/",
    "documents/": "/documents/999999/missing.pdf",
    "api/v2/": "/api/v2/pages/",
    "_util/": "/_util/login/",
}
ADMIN_LOGIN = "admin-login"  # 302 to Wagtail's or Django's own admin sign-in

GROUP_CELLS = {
    "admin/": (ADMIN_LOGIN, *[ADMIN_LOGIN] * 5, 200, 200),
    "admin/snippets/partners/capabilityterm/": (ADMIN_LOGIN, *[ADMIN_LOGIN] * 5, 200, 200),
    "django-admin/": (
        ADMIN_LOGIN,
        ADMIN_LOGIN,
        ADMIN_LOGIN,
        ADMIN_LOGIN,
        ADMIN_LOGIN,
        ADMIN_LOGIN,
        ADMIN_LOGIN,
        200,
    ),
    "accounts/": (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    "documents/": (404, 404, 404, 404, 404, 404, 404, 404),
    "api/v2/": (200, 200, 200, 200, 200, 200, 200, 200),
    "_util/": (200, 200, 200, 200, 200, 200, 200, 200),
}

# (name, scope): outcome per role, in ROLES order.
DOORS = {
    ("healthz", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("healthz", "other"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("manifest", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("manifest", "other"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("service_worker", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("service_worker", "other"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("offline", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("offline", "other"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("set_language", "own"): (302, 302, 302, 302, 302, 302, 302, 302),
    ("set_language", "other"): (302, 302, 302, 302, 302, 302, 302, 302),
    ("search", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("search", "other"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("sitemap", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("sitemap", "other"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("robots_txt", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("robots_txt", "other"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("projects_feed", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("projects_feed", "other"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("javascript-catalog", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("javascript-catalog", "other"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("portal:dashboard", "own"): (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    ("portal:dashboard", "other"): (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    ("portal:organization_apply", "own"): (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    ("portal:organization_apply", "other"): (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    ("portal:organization_invitation_accept", "own"): (200, 400, 400, 400, 400, 400, 400, 400),
    ("portal:organization_invitation_accept", "other"): (200, 400, 400, 400, 400, 400, 400, 400),
    # The link is the credential: a visitor may decline; a signed-in account of another address
    # is told to sign in with the invited one.
    ("portal:organization_invitation_decline", "own"): (200, 400, 400, 400, 400, 400, 400, 400),
    ("portal:organization_invitation_decline", "other"): (200, 400, 400, 400, 400, 400, 400, 400),
    ("portal:organization_manage", "own"): (LOGIN, 403, 200, 403, 200, 403, 200, 200),
    ("portal:organization_manage", "other"): (LOGIN, 403, 403, 200, 403, 403, 200, 200),
    ("portal:organization_activity", "own"): (LOGIN, 403, 403, 403, 200, 403, 403, 200),
    ("portal:organization_activity", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 200),
    ("portal:organization_preview", "own"): (LOGIN, 404, 200, 404, 200, 404, 200, 200),
    ("portal:organization_preview", "other"): (LOGIN, 404, 404, 200, 404, 404, 200, 200),
    ("portal:organization_invite", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:organization_invite", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:organization_invitation_revoke", "own"): (LOGIN, 403, 403, 403, 200, 403, 403, 200),
    ("portal:organization_invitation_revoke", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 200),
    # Without a role chosen, those who may change it are sent back to the members list.
    ("portal:organization_member_role", "own"): (LOGIN, 403, 403, 403, 302, 403, 403, 302),
    ("portal:organization_member_role", "other"): (LOGIN, 403, 403, 302, 403, 403, 403, 302),
    ("portal:organization_member_remove", "own"): (LOGIN, 403, 403, 403, 200, 403, 403, 200),
    ("portal:organization_member_remove", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 200),
    ("portal:organization_leave", "own"): (LOGIN, 403, 200, 403, 200, 403, 403, 403),
    ("portal:organization_leave", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 403),
    # The CRM: only the organization's members with a CRM role; never an editor or a superuser.
    ("portal:crm_contact_list", "own"): (LOGIN, 403, 200, 403, 200, 403, 403, 403),
    ("portal:crm_contact_list", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 403),
    ("portal:crm_contact_detail", "own"): (LOGIN, 403, 200, 403, 200, 403, 403, 403),
    ("portal:crm_contact_detail", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 403),
    ("portal:crm_contact_create", "own"): (LOGIN, 403, 403, 403, 200, 403, 403, 403),
    ("portal:crm_contact_create", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 403),
    ("portal:crm_contact_edit", "own"): (LOGIN, 403, 403, 403, 200, 403, 403, 403),
    ("portal:crm_contact_edit", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 403),
    ("portal:crm_duplicates", "own"): (LOGIN, 403, 403, 403, 200, 403, 403, 403),
    ("portal:crm_duplicates", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 403),
    ("portal:crm_import", "own"): (LOGIN, 403, 403, 403, 200, 403, 403, 403),
    ("portal:crm_import", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 403),
    ("portal:crm_custom_fields", "own"): (LOGIN, 403, 200, 403, 200, 403, 403, 403),
    ("portal:crm_custom_fields", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 403),
    ("portal:crm_import_detail", "own"): (LOGIN, 403, 403, 403, 200, 403, 403, 403),
    ("portal:crm_import_detail", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 403),
    ("portal:crm_retention", "own"): (LOGIN, 403, 403, 403, 200, 403, 403, 403),
    ("portal:crm_retention", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 403),
    # Nothing chosen in a GET: back to the list.
    ("portal:crm_retention_anonymise", "own"): (LOGIN, 403, 403, 403, 302, 403, 403, 403),
    ("portal:crm_retention_anonymise", "other"): (LOGIN, 403, 403, 302, 403, 403, 403, 403),
    ("portal:crm_export", "own"): (LOGIN, 403, 403, 403, 200, 403, 403, 403),
    ("portal:crm_export", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 403),
    ("portal:crm_contact_data", "own"): (LOGIN, 403, 403, 403, 200, 403, 403, 403),
    ("portal:crm_contact_data", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 403),
    ("portal:crm_roles", "own"): (LOGIN, 403, 403, 403, 200, 403, 403, 403),
    ("portal:crm_roles", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 403),
    ("portal:crm_merge", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:crm_merge", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:crm_contact_consent", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:crm_contact_consent", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:crm_contact_withdraw", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:crm_contact_withdraw", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:crm_contact_interaction", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:crm_contact_interaction", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:crm_contact_anonymise", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:crm_contact_anonymise", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:crm_segments", "own"): (LOGIN, 403, 200, 403, 200, 403, 403, 403),
    ("portal:crm_segments", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 403),
    ("portal:crm_segment_detail", "own"): (LOGIN, 403, 200, 403, 200, 403, 403, 403),
    ("portal:crm_segment_detail", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 403),
    ("portal:crm_contact_relationship", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:crm_contact_relationship", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:project_new", "own"): (LOGIN, 403, 403, 200, 200, 200, 200, 200),
    ("portal:project_new", "other"): (LOGIN, 403, 403, 200, 200, 200, 200, 200),
    ("portal:project_workspace", "own"): (LOGIN, 404, 200, 404, 404, 200, 404, 200),
    ("portal:project_workspace", "other"): (LOGIN, 404, 404, 200, 404, 404, 404, 200),
    ("portal:project_texts", "own"): (LOGIN, 403, 403, 403, 403, 200, 403, 200),
    ("portal:project_texts", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 200),
    ("portal:project_edit", "own"): (LOGIN, 403, 403, 403, 403, 200, 403, 200),
    ("portal:project_edit", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 200),
    ("portal:project_invite", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:project_invite", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:project_request", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:project_request", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:project_team_add", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:project_team_add", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:project_team_remove", "own"): (LOGIN, 403, 403, 403, 403, 200, 403, 200),
    ("portal:project_team_remove", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 200),
    ("portal:project_team_coordinator", "own"): (LOGIN, 403, 403, 403, 403, 200, 403, 200),
    ("portal:project_team_coordinator", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 200),
    ("portal:project_participation_accept", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:project_participation_accept", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    # An active partnership has nothing to decline: no confirmation for those who may answer.
    ("portal:project_participation_decline", "own"): (LOGIN, 403, 403, 403, 404, 404, 403, 404),
    ("portal:project_participation_decline", "other"): (LOGIN, 403, 403, 404, 403, 403, 403, 404),
    ("portal:project_participation_leave", "own"): (LOGIN, 403, 403, 403, 200, 403, 403, 200),
    ("portal:project_participation_leave", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 200),
    ("portal:project_participation_remove", "own"): (LOGIN, 403, 403, 403, 403, 200, 403, 200),
    ("portal:project_participation_remove", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 200),
    ("portal:impact_overview", "own"): (LOGIN, 404, 200, 404, 404, 200, 404, 200),
    ("portal:impact_overview", "other"): (LOGIN, 404, 404, 200, 404, 404, 404, 200),
    ("portal:impact_map_create", "own"): (LOGIN, 404, 403, 404, 404, 200, 404, 200),
    ("portal:impact_map_create", "other"): (LOGIN, 404, 404, 200, 404, 404, 404, 200),
    ("portal:impact_map", "own"): (LOGIN, 404, 200, 404, 404, 200, 404, 200),
    ("portal:impact_map", "other"): (LOGIN, 404, 404, 404, 404, 404, 404, 404),
    ("portal:impact_xlsx", "own"): (LOGIN, 404, 200, 404, 404, 200, 404, 200),
    ("portal:impact_xlsx", "other"): (LOGIN, 404, 404, 404, 404, 404, 404, 404),
    ("portal:impact_import", "own"): (LOGIN, 404, 403, 404, 404, 200, 404, 200),
    ("portal:impact_import", "other"): (LOGIN, 404, 404, 404, 404, 404, 404, 404),
    ("portal:impact_map_settings", "own"): (LOGIN, 404, 403, 404, 404, 200, 404, 200),
    ("portal:impact_map_settings", "other"): (LOGIN, 404, 404, 404, 404, 404, 404, 404),
    ("portal:impact_map_publish", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:impact_map_publish", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:impact_map_unpublish", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:impact_map_unpublish", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:impact_map_delete", "own"): (LOGIN, 404, 403, 404, 404, 200, 404, 200),
    ("portal:impact_map_delete", "other"): (LOGIN, 404, 404, 404, 404, 404, 404, 404),
    ("portal:impact_stakeholders", "own"): (LOGIN, 404, 403, 404, 404, 200, 404, 200),
    ("portal:impact_stakeholders", "other"): (LOGIN, 404, 404, 404, 404, 404, 404, 404),
    ("portal:impact_inputs", "own"): (LOGIN, 404, 403, 404, 404, 200, 404, 200),
    ("portal:impact_inputs", "other"): (LOGIN, 404, 404, 404, 404, 404, 404, 404),
    ("portal:impact_outputs", "own"): (LOGIN, 404, 403, 404, 404, 200, 404, 200),
    ("portal:impact_outputs", "other"): (LOGIN, 404, 404, 404, 404, 404, 404, 404),
    ("portal:impact_outcomes", "own"): (LOGIN, 404, 403, 404, 404, 200, 404, 200),
    ("portal:impact_outcomes", "other"): (LOGIN, 404, 404, 404, 404, 404, 404, 404),
    ("portal:impact_suggestion_offer", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:impact_suggestion_offer", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:impact_outcome_fill", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:impact_outcome_fill", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:project_chat", "own"): (LOGIN, 403, 200, 403, 403, 200, 403, 200),
    ("portal:project_chat", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 200),
    ("portal:project_chat_plain", "own"): (LOGIN, 403, 200, 403, 403, 200, 403, 200),
    ("portal:project_chat_plain", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 200),
    ("portal:profile", "own"): (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    ("portal:profile", "other"): (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    ("portal:profile_edit", "own"): (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    ("portal:profile_edit", "other"): (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    # ``member`` shows their card to people signed in; ``other_admin`` keeps theirs hidden.
    ("portal:person", "own"): (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    ("portal:person", "other"): (LOGIN, 404, 404, 200, 404, 404, 404, 404),
    ("portal:project_documents", "own"): (LOGIN, 404, 200, 404, 404, 200, 404, 200),
    ("portal:project_documents", "other"): (LOGIN, 404, 404, 200, 404, 404, 404, 200),
    ("portal:project_document", "own"): (LOGIN, 404, 200, 404, 404, 200, 404, 200),
    ("portal:project_document", "other"): (LOGIN, 404, 404, 200, 404, 404, 404, 200),
    ("portal:project_document_file", "own"): (LOGIN, 404, 200, 404, 404, 200, 404, 200),
    ("portal:project_document_file", "other"): (LOGIN, 404, 404, 200, 404, 404, 404, 200),
    ("portal:project_document_upload", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:project_document_upload", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:project_folder_create", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:project_folder_create", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:project_document_version", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:project_document_version", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:project_document_delete", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:project_document_delete", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:project_tasks", "own"): (LOGIN, 404, 200, 404, 404, 200, 404, 200),
    ("portal:project_tasks", "other"): (LOGIN, 404, 404, 200, 404, 404, 404, 200),
    ("portal:project_task_board", "own"): (LOGIN, 404, 200, 404, 404, 200, 404, 200),
    ("portal:project_task_board", "other"): (LOGIN, 404, 404, 200, 404, 404, 404, 200),
    ("portal:project_task", "own"): (LOGIN, 404, 200, 404, 404, 200, 404, 200),
    ("portal:project_task", "other"): (LOGIN, 404, 404, 200, 404, 404, 404, 200),
    ("portal:project_task_create", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:project_task_create", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:project_task_status", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:project_task_status", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:project_milestone_create", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:project_milestone_create", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:project_meetings", "own"): (LOGIN, 404, 200, 404, 404, 200, 404, 200),
    ("portal:project_meetings", "other"): (LOGIN, 404, 404, 200, 404, 404, 404, 200),
    ("portal:project_meeting", "own"): (LOGIN, 404, 200, 404, 404, 200, 404, 200),
    ("portal:project_meeting", "other"): (LOGIN, 404, 404, 200, 404, 404, 404, 200),
    ("portal:project_meeting_create", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:project_meeting_create", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:project_meeting_attendance", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:project_meeting_attendance", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:project_meeting_minutes", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:project_meeting_minutes", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    # Calendar feeds: the signed URL stands for its person, whoever fetches it.
    ("portal:project_meetings_ics", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("portal:project_meetings_ics", "other"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("portal:project_meetings_personal_ics", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("portal:project_meetings_personal_ics", "other"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("portal:project_updates", "own"): (LOGIN, 404, 200, 404, 404, 200, 404, 200),
    ("portal:project_updates", "other"): (LOGIN, 404, 404, 200, 404, 404, 404, 200),
    ("portal:project_update_create", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:project_update_create", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:project_update_delete", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:project_update_delete", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("project_updates_feed", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("project_updates_feed", "other"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("portal:notification_list", "own"): (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    ("portal:notification_list", "other"): (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    # Opening one's own notification follows its link; anyone else's does not exist.
    ("portal:notification_open", "own"): (LOGIN, 404, 302, 404, 404, 404, 404, 404),
    ("portal:notification_open", "other"): (LOGIN, 404, 404, 302, 404, 404, 404, 404),
    ("portal:notification_read_all", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:notification_read_all", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:notification_read_one", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:notification_read_one", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    # Everyone's own preferences; the scope does not enter the URL.
    ("portal:notification_preferences", "own"): (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    ("portal:notification_preferences", "other"): (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    # An e-mail's signed unsubscribe link: a GET only asks to confirm, signed in or not.
    ("portal:notification_unsubscribe", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("portal:notification_unsubscribe", "other"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("impact:cluster", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("impact:cluster", "other"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("impact:report", "own"): (404, 404, 404, 404, 404, 404, 404, 404),
    ("impact:report", "other"): (404, 404, 404, 404, 404, 404, 404, 404),
    ("impact:report_download", "own"): (404, 404, 404, 404, 404, 404, 404, 404),
    ("impact:report_download", "other"): (404, 404, 404, 404, 404, 404, 404, 404),
    ("privacy:notice", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("privacy:notice", "other"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("privacy:privacy", "own"): (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    ("privacy:privacy", "other"): (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    ("privacy:export", "own"): (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    ("privacy:export", "other"): (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    ("privacy:delete", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("privacy:delete", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("knowledge:community_index", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("knowledge:community_index", "other"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("knowledge:community", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("knowledge:community", "other"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("knowledge:question_list", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("knowledge:question_list", "other"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("knowledge:sessions_ics", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("knowledge:sessions_ics", "other"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("knowledge:community_edit", "own"): (LOGIN, 403, 403, 403, 403, 200, 403, 200),
    ("knowledge:community_edit", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 200),
    ("knowledge:community_join", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("knowledge:community_join", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("knowledge:community_leave", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("knowledge:community_leave", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("knowledge:community_follow", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("knowledge:community_follow", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("knowledge:membership_answer", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("knowledge:membership_answer", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    # Without a role chosen, facilitators are sent back to the community (the link carries it).
    ("knowledge:membership_role", "own"): (LOGIN, 403, 403, 403, 403, 302, 403, 302),
    ("knowledge:membership_role", "other"): (LOGIN, 403, 403, 302, 403, 403, 403, 302),
    ("knowledge:answer_new", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("knowledge:answer_new", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("knowledge:answer_accept", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("knowledge:answer_accept", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("knowledge:answer_comment", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("knowledge:answer_comment", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("knowledge:answer_promote", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("knowledge:answer_promote", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("knowledge:review", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("knowledge:review", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("knowledge:item_vote", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("knowledge:item_vote", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("knowledge:item_reviewed", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("knowledge:item_reviewed", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("knowledge:question", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("knowledge:question", "other"): (404, 404, 404, 200, 404, 404, 200, 200),
    ("knowledge:question_new", "own"): (LOGIN, 403, 200, 403, 403, 200, 403, 200),
    ("knowledge:question_new", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 200),
    ("knowledge:item_propose", "own"): (LOGIN, 403, 200, 403, 403, 200, 403, 200),
    ("knowledge:item_propose", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 200),
    ("knowledge:item_translate", "own"): (LOGIN, 403, 200, 403, 403, 200, 403, 200),
    ("knowledge:item_translate", "other"): (LOGIN, 404, 404, 200, 404, 404, 403, 200),
    ("knowledge:review_list", "own"): (LOGIN, 403, 403, 403, 403, 200, 200, 200),
    ("knowledge:review_list", "other"): (LOGIN, 403, 403, 200, 403, 403, 200, 200),
    ("knowledge:session_new", "own"): (LOGIN, 403, 403, 403, 403, 200, 403, 200),
    ("knowledge:session_new", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 200),
    ("knowledge:session_recording", "own"): (LOGIN, 403, 403, 403, 403, 200, 403, 200),
    ("knowledge:session_recording", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 200),
    ("resources:resource_directory", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("resources:resource_directory", "other"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("resources:resource_detail", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("resources:resource_detail", "other"): (404, 404, 200, 200, 200, 200, 200, 200),
    ("resources:listing_create", "own"): (LOGIN, 403, 403, 200, 200, 200, 403, 200),
    ("resources:listing_create", "other"): (LOGIN, 403, 403, 200, 200, 200, 403, 200),
    ("resources:resources_mine", "own"): (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    ("resources:resources_mine", "other"): (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    ("resources:hours_ledger", "own"): (LOGIN, 403, 200, 200, 200, 200, 200, 200),
    ("resources:hours_ledger", "other"): (LOGIN, 403, 200, 200, 200, 200, 200, 200),
    ("resources:hours_entry_create", "own"): (LOGIN, 403, 403, 200, 200, 200, 403, 200),
    ("resources:hours_entry_create", "other"): (LOGIN, 403, 403, 200, 200, 200, 403, 200),
    ("resources:listing_edit", "own"): (LOGIN, 403, 403, 403, 200, 403, 200, 200),
    ("resources:listing_edit", "other"): (LOGIN, 404, 403, 200, 403, 403, 200, 200),
    ("resources:listing_availability", "own"): (LOGIN, 403, 403, 403, 200, 403, 200, 200),
    ("resources:listing_availability", "other"): (LOGIN, 404, 403, 200, 403, 403, 200, 200),
    ("resources:listing_photos", "own"): (LOGIN, 403, 403, 403, 200, 403, 200, 200),
    ("resources:listing_photos", "other"): (LOGIN, 404, 403, 200, 403, 403, 200, 200),
    ("resources:listing_book", "own"): (LOGIN, 403, 200, 200, 200, 200, 403, 403),
    ("resources:listing_book", "other"): (LOGIN, 404, 200, 200, 200, 200, 403, 403),
    ("resources:listing_bookings", "own"): (LOGIN, 403, 200, 403, 200, 403, 403, 200),
    ("resources:listing_bookings", "other"): (LOGIN, 404, 403, 200, 403, 403, 403, 200),
    ("resources:listing_calendar", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("resources:listing_calendar", "other"): (404, 404, 200, 200, 200, 200, 200, 200),
    ("resources:organization_calendar", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("resources:organization_calendar", "other"): (200, 200, 200, 200, 200, 200, 200, 200),
    # The person's signed feeds: the URL stands for its person, whoever fetches it.
    ("resources:personal_calendar", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("resources:personal_calendar", "other"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("resources:organization_private_calendar", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("resources:organization_private_calendar", "other"): (
        200,
        200,
        200,
        200,
        200,
        200,
        200,
        200,
    ),
    ("resources:series_detail", "own"): (LOGIN, 404, 200, 200, 200, 404, 404, 200),
    ("resources:series_detail", "other"): (LOGIN, 404, 200, 200, 200, 404, 404, 200),
    ("resources:listing_close", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("resources:listing_close", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("resources:listing_renew", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("resources:listing_renew", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("resources:listing_answer", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("resources:listing_answer", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("resources:booking_action", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("resources:booking_action", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("resources:answer_accept", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("resources:answer_accept", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("opportunities:call_board", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("opportunities:call_board", "other"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("opportunities:calls_ics", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("opportunities:calls_ics", "other"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("opportunities:call_propose", "own"): (LOGIN, 403, 200, 200, 200, 200, 200, 200),
    ("opportunities:call_propose", "other"): (LOGIN, 403, 200, 200, 200, 200, 200, 200),
    ("opportunities:call_detail", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("opportunities:call_detail", "other"): (404, 404, 404, 404, 404, 404, 200, 200),
    ("opportunities:call_interest", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("opportunities:call_interest", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("opportunities:post_board", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("opportunities:post_board", "other"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("opportunities:post_create", "own"): (LOGIN, 403, 403, 200, 200, 200, 403, 200),
    ("opportunities:post_create", "other"): (LOGIN, 403, 403, 200, 200, 200, 403, 200),
    ("opportunities:posts_mine", "own"): (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    ("opportunities:posts_mine", "other"): (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    ("opportunities:post_detail", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("opportunities:post_detail", "other"): (404, 404, 404, 200, 404, 404, 200, 200),
    ("opportunities:post_close", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("opportunities:post_close", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("opportunities:post_renew", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("opportunities:post_renew", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("opportunities:post_interest", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("opportunities:post_interest", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    # The private conversation of two organizations' admins: nobody else learns it exists.
    ("opportunities:conversation", "own"): (LOGIN, 404, 404, 200, 200, 404, 404, 200),
    ("opportunities:conversation", "other"): (LOGIN, 404, 404, 200, 200, 404, 404, 200),
    ("events:event_list", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("events:event_list", "other"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("events:event_detail", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("events:event_detail", "other"): (404, 404, 404, 404, 404, 404, 200, 200),
    ("events:event_register", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("events:event_register", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("events:registration_cancel", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("events:registration_cancel", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("events:participants", "own"): (LOGIN, 403, 200, 200, 200, 403, 403, 200),
    ("events:participants", "other"): (LOGIN, 404, 404, 404, 404, 404, 403, 403),
    ("events:meeting_request", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("events:meeting_request", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("events:agenda", "own"): (LOGIN, 403, 200, 200, 200, 403, 403, 200),
    ("events:agenda", "other"): (LOGIN, 404, 404, 404, 404, 404, 403, 403),
    ("events:meeting_action", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("events:meeting_action", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("events:agenda_ics", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("events:agenda_ics", "other"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("cluster_figures:figures", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("cluster_figures:figures", "other"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("cluster_figures:figure_csv", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("cluster_figures:figure_csv", "other"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("portal:training_index", "own"): (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    ("portal:training_index", "other"): (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    ("portal:training_programme_new", "own"): (LOGIN, 403, 403, 403, 403, 200, 403, 200),
    ("portal:training_programme_new", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 200),
    ("portal:training_programme", "own"): (LOGIN, 404, 200, 404, 404, 200, 404, 200),
    ("portal:training_programme", "other"): (LOGIN, 404, 404, 200, 404, 404, 404, 200),
    ("portal:training_cohort_new", "own"): (LOGIN, 404, 403, 404, 404, 200, 404, 200),
    ("portal:training_cohort_new", "other"): (LOGIN, 404, 404, 200, 404, 404, 404, 200),
    ("portal:training_learner_new", "own"): (LOGIN, 404, 403, 404, 404, 200, 404, 200),
    ("portal:training_learner_new", "other"): (LOGIN, 404, 404, 200, 404, 404, 404, 200),
    ("portal:training_learner_edit", "own"): (LOGIN, 404, 403, 404, 404, 200, 404, 200),
    ("portal:training_learner_edit", "other"): (LOGIN, 404, 404, 200, 404, 404, 404, 200),
    ("portal:training_session", "own"): (LOGIN, 404, 200, 404, 404, 200, 404, 200),
    ("portal:training_session", "other"): (LOGIN, 404, 404, 200, 404, 404, 404, 200),
    ("portal:training_session_edit", "own"): (LOGIN, 404, 403, 404, 404, 200, 404, 200),
    ("portal:training_session_edit", "other"): (LOGIN, 404, 404, 200, 404, 404, 404, 200),
    ("portal:training_export", "own"): (LOGIN, 404, 403, 404, 404, 200, 404, 200),
    ("portal:training_export", "other"): (LOGIN, 404, 404, 200, 404, 404, 404, 200),
    ("training:index", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("training:index", "other"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("training:statistics", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("training:statistics", "other"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("portal:training_skill_level", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:training_skill_level", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:training_follow_up", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:training_follow_up", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:training_mentees", "own"): (LOGIN, 404, 200, 404, 404, 200, 404, 200),
    ("portal:training_mentees", "other"): (LOGIN, 404, 404, 200, 404, 404, 404, 200),
    ("portal:training_cohort", "own"): (LOGIN, 404, 200, 404, 404, 200, 404, 200),
    ("portal:training_cohort", "other"): (LOGIN, 404, 404, 200, 404, 404, 404, 200),
    ("portal:training_session_new", "own"): (LOGIN, 404, 403, 404, 404, 200, 404, 200),
    ("portal:training_session_new", "other"): (LOGIN, 404, 404, 200, 404, 404, 404, 200),
    ("portal:training_attendance", "own"): (LOGIN, 404, 200, 404, 404, 200, 404, 200),
    ("portal:training_attendance", "other"): (LOGIN, 404, 404, 200, 404, 404, 404, 200),
    ("portal:training_learner", "own"): (LOGIN, 404, 200, 404, 404, 200, 404, 200),
    ("portal:training_learner", "other"): (LOGIN, 404, 404, 200, 404, 404, 404, 200),
    ("portal:training_certificate", "own"): (LOGIN, 404, 200, 404, 404, 200, 404, 200),
    ("portal:training_certificate", "other"): (LOGIN, 404, 404, 200, 404, 404, 404, 200),
    ("portal:training_mentorship", "own"): (LOGIN, 404, 200, 404, 404, 200, 404, 200),
    ("portal:training_mentorship", "other"): (LOGIN, 404, 404, 200, 404, 404, 404, 200),
    ("portal:training_partner_set", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:training_partner_set", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:training_staff_set", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:training_staff_set", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:training_learner_refer", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:training_learner_refer", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:training_learner_mentor", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:training_learner_mentor", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:training_mentor_match", "own"): (LOGIN, 404, 403, 404, 404, 200, 404, 200),
    ("portal:training_mentor_match", "other"): (LOGIN, 404, 404, 200, 404, 404, 404, 200),
    ("portal:training_learner_erase", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:training_learner_erase", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:training_enrolment_status", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:training_enrolment_status", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:training_certificate_issue", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:training_certificate_issue", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:training_goal_add", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:training_goal_add", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:training_checkin_add", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:training_checkin_add", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:training_checkin_edit", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:training_checkin_edit", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:training_checkin_delete", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:training_checkin_delete", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:training_goal_done", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:training_goal_done", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:training_outcomes_accept", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("portal:training_outcomes_accept", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("volunteers:role_list", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("volunteers:role_list", "other"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("volunteers:role_detail", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("volunteers:role_detail", "other"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("volunteers:certificate_verify", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("volunteers:certificate_verify", "other"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("volunteers:profile", "own"): (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    ("volunteers:profile", "other"): (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    ("volunteers:hours_mine", "own"): (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    ("volunteers:hours_mine", "other"): (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    ("volunteers:certificate", "own"): (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    ("volunteers:certificate", "other"): (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    ("volunteers:certificate_pdf", "own"): (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    ("volunteers:certificate_pdf", "other"): (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    ("volunteers:profile_withdraw", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("volunteers:profile_withdraw", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("volunteers:shift_signup", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("volunteers:shift_signup", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("volunteers:shift_cancel", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("volunteers:shift_cancel", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("volunteers:hours_decide", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("volunteers:hours_decide", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("volunteers:role_create", "own"): (LOGIN, 403, 403, 403, 403, 200, 403, 200),
    ("volunteers:role_create", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 200),
    ("volunteers:shift_create", "own"): (LOGIN, 403, 403, 403, 403, 200, 403, 200),
    ("volunteers:shift_create", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 200),
    # An organization's own roles (no project): its admins, never its members nor editors.
    ("volunteers:organization_role_create", "own"): (LOGIN, 403, 403, 403, 200, 403, 403, 200),
    ("volunteers:organization_role_create", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 200),
    ("volunteers:organization_hours_review", "own"): (LOGIN, 403, 403, 403, 200, 403, 403, 200),
    ("volunteers:organization_hours_review", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 200),
    ("volunteers:organization_hours_export", "own"): (LOGIN, 403, 403, 403, 200, 403, 403, 200),
    ("volunteers:organization_hours_export", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 200),
    ("volunteers:role_edit", "own"): (LOGIN, 403, 403, 403, 403, 200, 403, 200),
    ("volunteers:role_edit", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 200),
    ("volunteers:hours_review", "own"): (LOGIN, 403, 403, 403, 403, 200, 403, 200),
    ("volunteers:hours_review", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 200),
    ("volunteers:hours_export", "own"): (LOGIN, 403, 403, 403, 403, 200, 403, 200),
    ("volunteers:hours_export", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 200),
    ("volunteers:hours_totals", "own"): (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    ("volunteers:hours_totals", "other"): (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    ("volunteers:role_apply", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("volunteers:role_apply", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("volunteers:application_decide", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("volunteers:application_decide", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("volunteers:role_applications", "own"): (LOGIN, 403, 403, 403, 403, 200, 403, 200),
    ("volunteers:role_applications", "other"): (LOGIN, 403, 403, 200, 403, 403, 403, 200),
    ("volunteers:application_agreement", "own"): (LOGIN, 404, 200, 404, 404, 200, 404, 200),
    ("volunteers:application_agreement", "other"): (LOGIN, 200, 404, 200, 404, 404, 404, 200),
    ("volunteers:requirement_record", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("volunteers:requirement_record", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("volunteers:requirement_claim", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("volunteers:requirement_claim", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("volunteers:requirement_confirm", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("volunteers:requirement_confirm", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("calls:call_list", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("calls:call_list", "other"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("calls:call_detail", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("calls:call_detail", "other"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("calls:call_create", "own"): (LOGIN, 403, 403, 200, 200, 200, 200, 200),
    ("calls:call_create", "other"): (LOGIN, 403, 403, 200, 200, 200, 200, 200),
    ("calls:reviews_mine", "own"): (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    ("calls:reviews_mine", "other"): (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    ("calls:call_applications", "own"): (LOGIN, 403, 403, 403, 200, 403, 200, 200),
    ("calls:call_applications", "other"): (LOGIN, 403, 403, 200, 403, 403, 200, 200),
    ("calls:call_form_setup", "own"): (LOGIN, 403, 403, 403, 200, 403, 200, 200),
    ("calls:call_form_setup", "other"): (LOGIN, 403, 403, 200, 403, 403, 200, 200),
    ("calls:review_submit", "own"): (LOGIN, 404, 404, 404, 404, 200, 404, 404),
    ("calls:review_submit", "other"): (LOGIN, 404, 200, 404, 404, 404, 404, 404),
    # Applicant, the application's reviewers and the call's managers (editors included).
    ("calls:attachment_download", "own"): (LOGIN, 404, 200, 404, 200, 200, 200, 200),
    ("calls:attachment_download", "other"): (LOGIN, 200, 200, 200, 404, 404, 200, 200),
    ("calls:call_apply", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("calls:call_apply", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("calls:review_assign", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("calls:review_assign", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("calls:application_decide", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("calls:application_decide", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    # Only the applicant (own: member; other: no_org) learns the application exists; it is
    # decided already, so they are sent back to the call with a message.
    ("calls:application_withdraw", "own"): (LOGIN, 404, 302, 404, 404, 404, 404, 404),
    ("calls:application_withdraw", "other"): (LOGIN, 302, 404, 404, 404, 404, 404, 404),
    # Accepted ventures: their team (own: member; other: no_org), their mentors and the call's
    # managers read them; nobody else learns they exist (the reviewer included).
    ("calls:ventures_mine", "own"): (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    ("calls:ventures_mine", "other"): (LOGIN, 200, 200, 200, 200, 200, 200, 200),
    ("calls:venture_detail", "own"): (LOGIN, 404, 200, 404, 200, 404, 200, 200),
    ("calls:venture_detail", "other"): (LOGIN, 200, 404, 200, 404, 404, 200, 200),
    ("calls:call_ventures", "own"): (LOGIN, 403, 403, 403, 200, 403, 200, 200),
    ("calls:call_ventures", "other"): (LOGIN, 403, 403, 200, 403, 403, 200, 200),
    ("calls:venture_mentor_assign", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("calls:venture_mentor_assign", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("calls:venture_mentor_remove", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("calls:venture_mentor_remove", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("calls:venture_milestone_add", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("calls:venture_milestone_add", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("calls:venture_checkin_add", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("calls:venture_checkin_add", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("calls:venture_milestone_mark", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("calls:venture_milestone_mark", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("calls:venture_checkin_delete", "own"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("calls:venture_checkin_delete", "other"): (LOGIN, 405, 405, 405, 405, 405, 405, 405),
    ("wagtail_serve", "own"): (200, 200, 200, 200, 200, 200, 200, 200),
    ("wagtail_serve", "other"): (404, 404, 404, 200, 404, 404, 200, 200),
}

# Cells where the app answers what DESIGN.md forbids, {(name, scope, role): reason}. DOORS keeps
# the outcome DESIGN.md wants; such a cell must still differ from it (like a strict xfail), so
# the entry has to go once the app is fixed. None found so far.
KNOWN_BUGS = {}


def _cell(response):
    outcome = _outcome(response)
    if outcome == 302 and "/login/" in response["Location"] and "admin/" in response["Location"]:
        return ADMIN_LOGIN
    return outcome


def test_every_route_is_declared():
    """A new URL pattern fails here until its row (or group) is added to the matrix."""
    names = {name for name, _ in DOORS}
    # Uploaded files are served by Django only with DEBUG on (development), by the web server
    # in production: that pattern exists only when some test switched DEBUG on before the
    # URLconf was loaded.
    debug_only = "^" + settings.MEDIA_URL.lstrip("/")
    missing = [
        (route, name)
        for route, name in all_routes()
        if not route.startswith((*GROUPS, debug_only)) and name not in names
    ]
    assert missing == []
    known = {name for _, name in all_routes()}
    assert sorted(names - known) == []
    assert {scope for _, scope in DOORS} == {"own", "other"}
    assert all((name, scope) in DOORS for name in names for scope in ("own", "other"))


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "scope"), list(DOORS))
def test_door(world, name, scope):
    url = _url(name, world.scopes[scope])
    actual = {role: _cell(_client(role, world).get(url)) for role in ROLES}
    expected = dict(zip(ROLES, DOORS[name, scope], strict=True))
    for (bug_name, bug_scope, role), reason in KNOWN_BUGS.items():
        if (bug_name, bug_scope) == (name, scope):
            assert actual.pop(role) != expected.pop(role), f"fixed, drop KNOWN_BUGS: {reason}"
    assert actual == expected, url


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", list(GROUPS))
def test_third_party_group(world, prefix):
    actual = {role: _cell(_client(role, world).get(GROUPS[prefix])) for role in ROLES}
    assert actual == dict(zip(ROLES, GROUP_CELLS[prefix], strict=True))


def _state(w):
    """Everything the membership, participation and team actions could change."""
    from partners.models import Membership
    from projects.models import Participation, TeamMembership

    return (
        list(Membership.objects.order_by("pk").values_list("pk", "organization", "user", "role")),
        list(Participation.objects.order_by("pk").values_list("pk", "status", "role")),
        list(TeamMembership.objects.order_by("pk").values_list("pk", "user", "is_coordinator")),
    )


def _admin_membership(w):
    from partners.models import Membership

    return Membership.objects.get(organization=w.scopes["own"]["org"], user=w.admin).pk


# name: (POST data builder, roles that may act on the own scope's objects)
ACTIONS = {
    "portal:organization_member_role": (lambda w: {"role": "admin"}, {"admin", "superuser"}),
    "portal:organization_member_remove": (lambda w: {}, {"admin", "superuser"}),
    "portal:organization_leave": (lambda w: {}, {"admin", "member"}),
    "portal:project_participation_remove": (lambda w: {}, {"coordinator", "superuser"}),
    "portal:project_participation_leave": (lambda w: {}, {"admin", "superuser"}),
    "portal:project_team_add": (
        lambda w: {"membership": _admin_membership(w)},
        {"coordinator", "superuser"},
    ),
    "portal:project_team_remove": (lambda w: {}, {"coordinator", "superuser"}),
    "portal:project_team_coordinator": (
        lambda w: {"is_coordinator": "1"},
        {"coordinator", "superuser"},
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "role"),
    [
        (name, role)
        for name, (_, allowed) in ACTIONS.items()
        for role in ROLES
        if role not in allowed
    ],
)
def test_forbidden_post_changes_nothing(world, name, role):
    data, _allowed = ACTIONS[name]
    before = _state(world)
    response = _client(role, world).post(_url(name, world.scopes["own"]), data(world))
    assert _cell(response) in (LOGIN, 403, 404)
    assert _state(world) == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(ACTIONS))
def test_allowed_post_changes_something(world, name):
    """The positive control: the same POST by the first allowed role does change the state."""
    data, allowed = ACTIONS[name]
    role = next(role for role in ROLES if role in allowed)
    before = _state(world)
    _client(role, world).post(_url(name, world.scopes["own"]), data(world))
    assert _state(world) != before
