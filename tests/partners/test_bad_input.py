"""Every bad input of the issue: a clear message, and nothing changed afterwards."""

import time
from io import BytesIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from partners import selectors
from partners.models import Invitation, PartnerPage
from partners.services import (
    invitation_accept,
    invitation_create,
    organization_apply,
    organization_update,
)
from tests.factories import UserFactory
from tests.partners.helpers import counts, png_upload
from tests.utils import approved_organization, organization_with_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant(client):
    user = UserFactory()
    client.force_login(user)
    return user


def _apply(client, **data):
    return client.post(
        reverse("portal:organization_apply"),
        {"title": "Fundació Nova", "kind": "foundation", "summary": "Nova.", **data},
    )


# --- Duplicate organization name ------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Fundació Pere Tarrés",
        "fundacio pere tarres",
        "FUNDACIÓ  PERE-TARRÉS",
        "Fundacio Pere Tarres.",
    ],
)
def test_duplicate_name_is_refused_whatever_the_case_and_accents(client, applicant, title):
    approved_organization(title="Fundació Pere Tarrés")
    before = counts()
    response = _apply(client, title=title)
    assert response.status_code == 200
    assert "An organization with this name is already registered." in response.content.decode()
    assert counts() == before


def test_duplicate_name_is_refused_by_the_service_too(applicant):
    approved_organization(title="Càritas del Segrià")
    before = counts()
    with pytest.raises(ValidationError) as error:
        organization_apply(user=applicant, title="caritas del segria", kind="ngo")
    assert "already registered" in str(error.value)
    assert counts() == before


def test_renaming_onto_another_organizations_name_is_refused(client):
    approved_organization(title="Creu Blanca")
    admin = UserFactory()
    organization = approved_organization(admin=admin, title="Creu Verda")
    client.force_login(admin)
    before = counts()
    response = client.post(
        reverse("portal:organization_manage", args=[organization.pk]),
        {"title": "creu blanca", "kind": "ngo", "summary": "x"},
    )
    assert "already registered" in response.content.decode()
    assert counts() == before
    with pytest.raises(ValidationError):
        organization_update(organization=organization, user=admin, title="CREU BLANCA")
    assert counts() == before


# --- Unknown kind or SDG --------------------------------------------------------------------


def test_unknown_kind_is_refused(client, applicant):
    before = counts()
    response = _apply(client, kind="spaceship")
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert counts() == before
    with pytest.raises(ValidationError) as error:
        organization_apply(user=applicant, title="Fundació Rara", kind="spaceship")
    assert "kind" in error.value.error_dict
    assert counts() == before


@pytest.mark.parametrize("value", ["99", "0", "abc"])
def test_unknown_sdg_is_refused(client, applicant, value):
    before = counts()
    response = _apply(client, sdgs=["4", value])
    assert response.status_code == 200
    html = response.content.decode()
    assert "valid" in html and value in html
    assert counts() == before


# --- Logos ----------------------------------------------------------------------------------


def test_a_php_file_named_png_is_refused(client, applicant):
    fake = SimpleUploadedFile(
        "logo.png", b"<?php system($_GET['c']); ?>", content_type="image/png"
    )
    before = counts()
    response = _apply(client, logo=fake)
    assert "Upload a JPEG, PNG, WebP or GIF image" in response.content.decode()
    assert counts() == before


def test_a_truncated_image_is_refused(client, applicant):
    data = png_upload().read()
    broken = SimpleUploadedFile("logo.png", data[: len(data) // 2], content_type="image/png")
    before = counts()
    response = _apply(client, logo=broken)
    assert "This image is damaged or incomplete" in response.content.decode()
    assert counts() == before


def test_an_svg_logo_is_refused(client, applicant):
    svg = SimpleUploadedFile(
        "logo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        content_type="image/svg+xml",
    )
    before = counts()
    response = _apply(client, logo=svg)
    assert "Upload a JPEG, PNG, WebP or GIF image" in response.content.decode()
    assert counts() == before


def test_a_logo_over_5_mb_is_refused(client, applicant):
    # A real image, padded past the limit: the size alone must refuse it.
    big = SimpleUploadedFile(
        "logo.png", png_upload().read() + b"\0" * (5 * 1024 * 1024), content_type="image/png"
    )
    before = counts()
    response = _apply(client, logo=big)
    assert "an image may be at most 5.0\xa0MB" in response.content.decode()
    assert counts() == before


def test_a_logo_with_too_many_pixels_is_refused(client, applicant):
    out = BytesIO()
    Image.new("1", (8000, 8000)).save(out, format="PNG")  # 64 megapixels, a few kB
    huge = SimpleUploadedFile("logo.png", out.getvalue(), content_type="image/png")
    before = counts()
    response = _apply(client, logo=huge)
    assert "8000 × 8000 pixels" in response.content.decode()
    assert counts() == before


def test_bad_logo_is_refused_by_the_service_too(applicant):
    organization = approved_organization(admin=applicant, title="Fundació Logo")
    before = counts()
    with pytest.raises(ValidationError) as error:
        organization_update(
            organization=organization,
            user=applicant,
            summary="changed",
            logo_file=SimpleUploadedFile("x.png", b"GIF89a nope"),
        )
    assert "logo" in error.value.error_dict
    assert counts() == before


def test_a_good_logo_is_reencoded_without_metadata(applicant):
    out = BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Secret Camera Maker"
    Image.new("RGB", (80, 40), "#c5192d").save(out, format="JPEG", exif=exif.tobytes())
    organization = organization_apply(
        user=applicant,
        title="Fundació Foto",
        logo_file=SimpleUploadedFile("photo.php", out.getvalue()),
    )
    name = organization.logo.file.name
    assert name.endswith(".jpg") and "php" not in name
    with organization.logo.open_file() as stored:
        assert b"Secret Camera Maker" not in stored.read()


@pytest.mark.parametrize("through", ["form", "service"])
def test_a_logo_keeps_no_jpeg_comment(client, applicant, through):
    """Logos go through the shared upload check, which drops comments like all metadata."""
    out = BytesIO()
    Image.new("RGB", (80, 40), "#26bde2").save(out, format="JPEG", comment=b"my home address")
    upload = SimpleUploadedFile("logo.jpg", out.getvalue(), content_type="image/jpeg")
    if through == "form":
        assert _apply(client, logo=upload, title="Fundació Comentari").status_code == 302
        organization = PartnerPage.objects.get(title="Fundació Comentari")
    else:
        organization = organization_apply(
            user=applicant, title="Fundació Comentari", logo_file=upload
        )
    with organization.logo.open_file() as stored:
        data = stored.read()
    assert data.startswith(b"\xff\xd8") and b"my home address" not in data


# --- Invitations: invalid or foreign e-mail, expired, used, forged, already a member ----------


@pytest.fixture
def organization_and_admin(client):
    admin = UserFactory()
    organization, member = organization_with_member(admin=admin)
    return organization, admin, member


@pytest.mark.parametrize(
    "email", ["not-an-email", "a@b", "", "two@example.org, three@example.org"]
)
def test_invitation_to_an_invalid_address_is_refused(client, organization_and_admin, email):
    organization, admin, _member = organization_and_admin
    client.force_login(admin)
    before = counts()
    response = client.post(
        reverse("portal:organization_invite", args=[organization.pk]),
        {"email": email, "role": "member"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a valid email address." in html or "This field is required." in html
    assert counts() == before
    with pytest.raises(ValidationError):
        invitation_create(organization=organization, email=email, invited_by=admin)
    assert counts() == before


def test_invitation_with_an_unknown_role_is_refused(client, organization_and_admin):
    organization, admin, _member = organization_and_admin
    client.force_login(admin)
    before = counts()
    response = client.post(
        reverse("portal:organization_invite", args=[organization.pk]),
        {"email": "ok@example.org", "role": "owner"},
    )
    assert "Select a valid choice." in response.content.decode()
    assert counts() == before


def test_inviting_someone_already_a_member_is_refused(client, organization_and_admin):
    organization, admin, member = organization_and_admin
    client.force_login(admin)
    before = counts()
    response = client.post(
        reverse("portal:organization_invite", args=[organization.pk]),
        {"email": member.email.upper(), "role": "admin"},
    )
    assert "is already a member of this organization" in response.content.decode()
    assert counts() == before


def _invitation(organization, admin, email="invitee@example.org", role="member"):
    return invitation_create(organization=organization, email=email, role=role, invited_by=admin)


def _accept(client, user, token):
    if user is not None:
        client.force_login(user)
    return client.post(reverse("portal:organization_invitation_accept", args=[token]))


def test_invitation_accepted_with_another_address_is_refused(client, organization_and_admin):
    organization, admin, _member = organization_and_admin
    invitation = _invitation(organization, admin)
    stranger = UserFactory(email="stranger@example.org")
    before = counts()
    response = _accept(client, stranger, selectors.invitation_token(invitation))
    assert response.status_code == 400
    html = response.content.decode()
    assert "This invitation was sent to invitee@example.org" in html
    assert "stranger@example.org" in html
    assert counts() == before
    # Opening the link already says so, before any click.
    response = client.get(
        reverse(
            "portal:organization_invitation_accept", args=[selectors.invitation_token(invitation)]
        )
    )
    assert (
        response.status_code == 400 and "This invitation was sent to" in response.content.decode()
    )


def _old_token(invitation, days):
    class Past(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - days * 24 * 3600)

    return Past(salt=selectors.INVITATION_SALT).sign_object(
        {"i": invitation.pk, "e": invitation.email}
    )


def test_expired_invitation_is_refused(client, organization_and_admin):
    organization, admin, _member = organization_and_admin
    invitation = _invitation(organization, admin)
    invitee = UserFactory(email="invitee@example.org")
    token = _old_token(invitation, days=8)
    before = counts()
    response = _accept(client, invitee, token)
    assert response.status_code == 400
    assert "This invitation has expired" in response.content.decode()
    assert counts() == before
    # A link signed recently for an invitation older than 7 days is expired as well.
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=7, minutes=1)
    )
    with pytest.raises(ValidationError) as error:
        invitation_accept(token=selectors.invitation_token(invitation), user=invitee)
    assert error.value.code == "expired"
    assert counts() == before


def test_invitation_just_inside_seven_days_still_works(organization_and_admin):
    organization, admin, _member = organization_and_admin
    invitation = _invitation(organization, admin)
    invitee = UserFactory(email="invitee@example.org")
    membership = invitation_accept(token=_old_token(invitation, days=6), user=invitee)
    assert membership.organization == organization


def test_used_invitation_is_refused(client, organization_and_admin):
    organization, admin, _member = organization_and_admin
    invitation = _invitation(organization, admin)
    token = selectors.invitation_token(invitation)
    invitee = UserFactory(email="invitee@example.org")
    assert _accept(client, invitee, token).status_code == 302
    before = counts()
    response = _accept(client, invitee, token)
    assert response.status_code == 400
    assert "This invitation has already been used." in response.content.decode()
    assert counts() == before


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("AA" if token[-2:] != "AA" else "BB"),
        lambda token: "eyJpIjoxLCJlIjoieEB5LnoifQ:1vAbCd:forgedsignature",
        lambda token: "nonsense",
        lambda token: signing.TimestampSigner(salt="another.salt").sign_object({"i": 1}),
    ],
    ids=["altered", "made-up", "garbage", "other-salt"],
)
def test_forged_invitation_is_refused(client, organization_and_admin, tamper):
    organization, admin, _member = organization_and_admin
    invitation = _invitation(organization, admin)
    invitee = UserFactory(email="invitee@example.org")
    before = counts()
    token = tamper(selectors.invitation_token(invitation))
    response = _accept(client, invitee, token)
    assert response.status_code == 400
    assert "This invitation link is not valid." in response.content.decode()
    response = client.get(reverse("portal:organization_invitation_accept", args=[token]))
    assert response.status_code == 400
    assert counts() == before


def test_a_signed_token_for_another_address_is_refused(organization_and_admin):
    organization, admin, _member = organization_and_admin
    invitation = _invitation(organization, admin)
    forged = signing.TimestampSigner(salt=selectors.INVITATION_SALT).sign_object(
        {"i": invitation.pk, "e": "attacker@example.org"}
    )
    with pytest.raises(ValidationError) as error:
        selectors.invitation_read(forged)
    assert error.value.code == "forged"


def test_withdrawn_invitation_is_refused(client, organization_and_admin):
    organization, admin, _member = organization_and_admin
    invitation = _invitation(organization, admin)
    token = selectors.invitation_token(invitation)
    client.force_login(admin)
    client.post(
        reverse("portal:organization_invitation_revoke", args=[organization.pk, invitation.pk])
    )
    invitee = UserFactory(email="invitee@example.org")
    before = counts()
    response = _accept(client, invitee, token)
    assert "This invitation was withdrawn." in response.content.decode()
    assert counts() == before


def test_invitation_for_someone_who_became_a_member_meanwhile_is_refused(
    client, organization_and_admin
):
    organization, admin, member = organization_and_admin
    invitation = _invitation(organization, admin, email="later@example.org")
    EmailAddress.objects.create(user=member, email="later@example.org", verified=True)
    before = counts()
    response = _accept(client, member, selectors.invitation_token(invitation))
    assert response.status_code == 400
    assert "You are already a member of" in response.content.decode()
    assert counts() == before


def test_anonymous_post_to_an_invitation_goes_to_sign_in(client, organization_and_admin):
    organization, admin, _member = organization_and_admin
    invitation = _invitation(organization, admin)
    before = counts()
    response = _accept(client, None, selectors.invitation_token(invitation))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    assert counts() == before


def test_unverified_address_does_not_count_as_the_invitees(organization_and_admin):
    organization, admin, _member = organization_and_admin
    invitation = _invitation(organization, admin, email="claimed@example.org")
    someone = UserFactory(email="someone@example.org")
    EmailAddress.objects.create(user=someone, email="claimed@example.org", verified=False)
    with pytest.raises(ValidationError) as error:
        invitation_accept(token=selectors.invitation_token(invitation), user=someone)
    assert error.value.code == "other_email"
    assert (
        not PartnerPage.objects.get(pk=organization.pk).memberships.filter(user=someone).exists()
    )
    assert get_user_model().objects.get(pk=someone.pk).groups.count() == 0
