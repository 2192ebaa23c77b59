"""Small builders for the partners tests; organizations come from the services."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from partners.models import Invitation, Membership, PartnerPage


def png_upload(name="logo.png", size=(120, 60), colour="#0b5d6b", fmt="PNG"):
    out = BytesIO()
    Image.new("RGB", size, colour).save(out, format=fmt)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def counts():
    """What a refused request must leave as it was."""
    from django.contrib.auth.models import Group
    from wagtail.images import get_image_model
    from wagtail.models import Revision, WorkflowState

    from notifications.models import Notification

    return {
        "organizations": PartnerPage.objects.count(),
        "memberships": sorted(Membership.objects.values_list("organization", "user", "role")),
        "invitations": sorted(Invitation.objects.values_list("pk", "accepted_at", "revoked_at")),
        "images": get_image_model().objects.count(),
        "revisions": Revision.objects.count(),
        "workflow_states": WorkflowState.objects.count(),
        "groups": Group.objects.count(),
        "notifications": Notification.objects.count(),
        "titles": sorted(PartnerPage.objects.values_list("title", "draft_title")),
    }
