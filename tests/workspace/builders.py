"""A project with its team, a partner's member off the team, an outsider and an editor, built
through the services as people would cause it."""

import io
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from projects.models import ProjectPage
from tests.factories import UserFactory
from tests.utils import approved_organization, editor, project_with_partner_on_team

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def pdf(name="minutes.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png(name="photo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@dataclass
class World:
    project: ProjectPage
    coordinator: object
    member: object
    partner_admin: object
    outsider: object
    editor: object
    superuser: object


def build_world():
    coordinator = UserFactory(username="w_coordinator")
    partner_admin = UserFactory(username="w_partner_admin")
    member = UserFactory(username="w_member", first_name="Marta")
    project, _partner, _member = project_with_partner_on_team(
        coordinator=coordinator, partner_admin=partner_admin, member=member
    )
    outsider = UserFactory(username="w_outsider")
    approved_organization(admin=outsider, title="Outsider org")
    return World(
        project=project,
        coordinator=coordinator,
        member=member,
        partner_admin=partner_admin,
        outsider=outsider,
        editor=editor(),
        superuser=UserFactory(username="w_super", is_superuser=True, is_staff=True),
    )
