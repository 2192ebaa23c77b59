"""Personal data registered by the app that holds it (``core.personal_data``).

``privacy`` only orchestrates: the export is one section per registration, deletion calls
every registration's ``forget`` in order inside one transaction, then deletes the user row.
The coverage test fails when a model with a foreign key to the user model is added without a
registration naming it.
"""

import json
import tomllib

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail import hooks

from chat.models import Mention, ReadMarker
from chat.services import message_send, read_marker_set
from core.personal_data import HOOK, PersonalData, registrations
from notifications.models import Notification
from partners.models import Membership
from partners.services import invitation_create, membership_add
from privacy.services import account_delete
from projects.models import Participation
from projects.services import participation_request
from tests.factories import UserFactory
from tests.utils import approved_organization, project_with_partner_on_team

pytestmark = pytest.mark.django_db

User = get_user_model()

# Third-party models with a foreign key to the user model that no registration names, and why.
EXEMPT = {
    "guardian.UserObjectPermission": (
        "unused: permissions are kept in the apps' direct foreign-key models "
        "(PartnerPageUserObjectPermission, ProjectPageUserObjectPermission), which are "
        "registered; any row would cascade with the account"
    ),
    "wagtailadmin.EditingSession": "an editor's open editing tab, minutes long; cascades",
    "wagtailadmin.FormState": "an editor's unsaved form, kept while editing; cascades",
    "wagtailcore.APIToken": "unused (the API is public and read only); cascades",
    "wagtailcore.UploadedFile": "a file half-way through Wagtail's multiple upload; SET_NULL",
}

# One query per section, whatever the number of rows (plus the session and the user).
# A few per section, whatever the number of rows; each app that holds personal data adds its own.
# volunteers: role applications, requirement dates; crm: imports; knowledge: comments;
# opportunities: conversation messages and read markers; taxonomy: the tags they proposed;
# ventures: mentoring, check-ins, milestones marked.
EXPORT_QUERIES = 76


def user_foreign_keys():
    """``{model label: [field names]}`` of every installed model's own FK/O2O to the user
    model, auto-created many-to-many tables included; inherited fields count once, on the
    model that declares them (``wagtailcore.Page.owner``, not every page type's)."""
    found = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy:
            continue
        for field in model._meta.local_fields:
            if field.is_relation and field.related_model is User:
                found.setdefault(model._meta.label, []).append(field.name)
    return found


def covered():
    return {label for r in registrations() for label in (*r.models, *r.also_covers)}


# --- Registrations ------------------------------------------------------------------------


def test_every_model_with_a_foreign_key_to_the_user_is_registered():
    missing = sorted(set(user_foreign_keys()) - covered() - set(EXEMPT))
    assert missing == [], (
        "These models hold a foreign key to the user model but no `register_personal_data` "
        f"registration names them (in `models` or `also_covers`): {missing}"
    )


def project_apps():
    """The project's own apps: the packages of the layers contract (pyproject.toml)."""
    with open(settings.BASE_DIR / "pyproject.toml", "rb") as f:
        return set(tomllib.load(f)["tool"]["importlinter"]["root_packages"])


def test_every_project_app_registers_its_own_models():
    """The project's apps are never exempt, and each names its models in a registration whose
    export it defines itself (privacy does not read other apps' models)."""
    own = project_apps()
    assert "partners" in own and "chat" in own
    assert not [label for label in EXEMPT if label.split(".")[0] in own]
    for label in user_foreign_keys():
        app = label.split(".")[0]
        if app in own:
            assert any(
                label in r.models and r.export.__module__.split(".")[0] == app
                for r in registrations()
            ), f"{label} is not registered by its own app"


def test_registrations_name_real_models_and_distinct_sections():
    sections = [r.section for r in registrations()]
    assert len(sections) == len(set(sections))
    for label in covered() | set(EXEMPT):
        apps.get_model(label)  # LookupError on a typo or a removed model
    # An exemption that is registered (or no longer holds a user) is stale.
    assert not set(EXEMPT) & covered()
    assert set(EXEMPT) <= set(user_foreign_keys())


def test_the_export_is_one_section_per_registration(client):
    def extra():
        return PersonalData(section="from_another_app", export=lambda user: {"id": user.pk})

    person = UserFactory()
    client.force_login(person)
    with hooks.register_temporarily(HOOK, extra):
        data = json.loads(client.get(reverse("privacy:export")).content)
    assert data["from_another_app"] == {"id": person.pk}
    assert set(data) == {"exported_at", "from_another_app"} | {r.section for r in registrations()}


def test_deletion_is_all_or_nothing():
    """Every forget runs in the deletion's transaction: one failing undoes the others."""

    def failing(user, context):
        raise RuntimeError("an app could not forget")

    def late():
        return PersonalData(section="fails", export=lambda user: None, forget=failing, order=950)

    project, partner, zoe = project_with_partner_on_team()
    with hooks.register_temporarily(HOOK, late), pytest.raises(RuntimeError):
        account_delete(user=zoe)
    assert User.objects.filter(pk=zoe.pk).exists()
    assert Membership.objects.filter(user=zoe, organization=partner).exists()
    assert project.team.filter(user=zoe).exists()


def test_an_apps_refusal_stops_deletion_before_anything_changes():
    def refuse():
        return PersonalData(
            section="refuses", export=lambda user: None, refuse=lambda user: "Not yet."
        )

    project, partner, zoe = project_with_partner_on_team()
    with hooks.register_temporarily(HOOK, refuse), pytest.raises(ValidationError) as error:
        account_delete(user=zoe)
    assert error.value.messages == ["Not yet."]
    assert project.team.filter(user=zoe).exists()


# --- What the export was missing ----------------------------------------------------------


@pytest.fixture
def zoe_everywhere(db):
    """Zoe: on a project team, admin (with a co-admin) of an organization she applied for,
    which asked to join another project with a message; invited by address; mentioned."""
    project, partner, zoe = project_with_partner_on_team(
        member=UserFactory(
            username="zoe_quixotic",
            first_name="Zoelle",
            last_name="Quarrington",
            email="zoe.quixotic@example.org",
        )
    )
    coordinator = project.team.exclude(user=zoe).get().user
    own = approved_organization(admin=zoe, title="Zoe's Cooperative")
    co_admin = UserFactory(first_name="Cosima", last_name="Adminova", email="cosima@example.org")
    membership_add(organization=own, user=co_admin, role=Membership.Role.ADMIN, by=zoe)
    invitation_create(organization=own, email="friend.of.zoe@example.org", invited_by=zoe)
    other_project = project_with_partner_on_team()[0]
    other_coordinator = other_project.team.get(is_coordinator=True).user
    inviting = other_project.lead_organization
    invitation_create(
        organization=inviting, email="Zoe.Quixotic@example.org", invited_by=other_coordinator
    )
    participation_request(
        project=other_project,
        organization=own,
        user=zoe,
        message="Call Zoelle on 600 123 456 about the workshop",
    )
    message, _ = message_send(
        project_id=project.pk, author=coordinator, body="Welcome @zoe_quixotic!", client_id="w1"
    )
    message_send(project_id=project.pk, author=zoe, body="Thank you", client_id="t1")
    read_marker_set(project_id=project.pk, user=zoe, seq=message.seq)
    return {
        "zoe": zoe,
        "project": project,
        "partner": partner,
        "own": own,
        "co_admin": co_admin,
        "coordinator": coordinator,
        "other_project": other_project,
        "other_coordinator": other_coordinator,
        "inviting": inviting,
        "message": message,
    }


def export(client, user):
    client.force_login(user)
    response = client.get(reverse("privacy:export"))
    assert response.status_code == 200
    return json.loads(response.content)


def test_export_has_audit_entries_by_and_about_the_person(client, zoe_everywhere):
    w = zoe_everywhere
    entries = export(client, w["zoe"])["audit_entries"]["pages"]
    about = {(e["action"], e["page"]["id"]) for e in entries if e["about_you"]}
    by = {(e["action"], e["page"]["id"]) for e in entries if e["by_you"]}
    assert ("projects.team.add", w["project"].pk) in about  # the coordinator put her there
    assert ("partners.invitation.create", w["inviting"].pk) in about  # to her address
    assert ("partners.membership.add", w["own"].pk) in by
    assert ("projects.participation.request", w["other_project"].pk) in by


def test_export_has_invitations_to_the_persons_address_not_others(client, zoe_everywhere):
    w = zoe_everywhere
    invitations = export(client, w["zoe"])["invitations"]
    assert [(i["email"], i["organization"]["id"]) for i in invitations["received"]] == [
        ("zoe.quixotic@example.org", w["inviting"].pk)
    ]
    # She sent one: the export says so, without the invitee's address.
    assert [i["organization"]["id"] for i in invitations["sent"]] == [w["own"].pk]


def test_export_has_join_requests_applications_and_revisions(client, zoe_everywhere):
    w = zoe_everywhere
    data = export(client, w["zoe"])
    assert [(r["project"]["id"], r["message"]) for r in data["join_requests"]] == [
        (w["other_project"].pk, "Call Zoelle on 600 123 456 about the workshop")
    ]
    assert [a["organization"]["title"] for a in data["organization_applications"]] == [
        "Zoe's Cooperative"
    ]
    revisions = data["authorship"]["revisions"]
    assert ("partnerpage", str(w["own"].pk)) in {
        (r["object"]["type"], r["object"]["id"]) for r in revisions
    }


def test_export_has_read_markers_and_mentions(client, zoe_everywhere):
    w = zoe_everywhere
    data = export(client, w["zoe"])
    assert [(m["project"]["id"], m["seq"]) for m in data["chat_read_markers"]] == [
        (w["project"].pk, w["message"].seq)
    ]
    assert [(m["project"]["id"], m["seq"]) for m in data["chat_mentions"]] == [
        (w["project"].pk, w["message"].seq)
    ]


def test_export_carries_nothing_of_others(client, zoe_everywhere):
    """Beyond what was sent to her (her notifications say who mentioned her, and how)."""
    w = zoe_everywhere
    text = json.dumps(export(client, w["zoe"]))
    for foreign in (
        "friend.of.zoe@example.org",  # the address she invited
        "Cosima",  # the co-admin she added (the audit entry names her)
        "Adminova",
        "cosima@example.org",
        w["other_coordinator"].last_name,  # who invited her address
    ):
        assert foreign not in text


def test_export_query_count_does_not_grow_with_the_new_sections(
    client, zoe_everywhere, django_assert_max_num_queries
):
    w = zoe_everywhere
    client.force_login(w["zoe"])
    with django_assert_max_num_queries(EXPORT_QUERIES):
        client.get(reverse("privacy:export"))
    for n in range(10):
        message_send(
            project_id=w["project"].pk,
            author=w["coordinator"],
            body=f"@zoe_quixotic number {n}",
            client_id=f"m{n}",
        )
        invitation_create(organization=w["own"], email=f"p{n}@example.org", invited_by=w["zoe"])
        invitation_create(
            organization=w["inviting"], email=w["zoe"].email, invited_by=w["other_coordinator"]
        )
    with django_assert_max_num_queries(EXPORT_QUERIES):
        data = json.loads(client.get(reverse("privacy:export")).content)
    assert len(data["chat_mentions"]) == 11
    assert len(data["invitations"]["sent"]) == 11
    assert len(data["invitations"]["received"]) == 11


# --- What deletion was leaving ------------------------------------------------------------


def test_deletion_removes_the_join_request_message_everywhere(zoe_everywhere):
    w = zoe_everywhere
    told = Notification.objects.get(user=w["other_coordinator"], body__contains="600")
    account_delete(user=w["zoe"])
    participation = Participation.objects.get(project=w["other_project"], organization=w["own"])
    assert participation.status == Participation.Status.REQUESTED  # the request stands
    assert participation.message == ""
    assert participation.created_by is None
    told.refresh_from_db()
    assert "600 123 456" not in told.body and "Zoelle" not in told.body
    assert not Notification.objects.filter(body__contains="600 123 456").exists()
    assert not Participation.objects.filter(message__contains="600 123 456").exists()


def test_deletion_removes_read_markers_mentions_and_invitations(zoe_everywhere):
    w = zoe_everywhere
    zoe_id = w["zoe"].pk
    account_delete(user=w["zoe"])
    assert not ReadMarker.objects.filter(user_id=zoe_id).exists()
    assert not Mention.objects.filter(user_id=zoe_id).exists()
    w["message"].refresh_from_db()
    assert w["message"].body == "Welcome @former member!"
    # Invitations to her address go; the one she sent stays for her organization.
    emails = set(w["own"].invitations.values_list("email", flat=True))
    assert emails == {"friend.of.zoe@example.org"}
    assert not w["inviting"].invitations.exists()
