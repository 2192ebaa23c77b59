"""Who may do what with opportunities: the one place the rules live.

Nothing is granted here: every right follows from the person's memberships (``partners``) and
the editors' group, read once per request into a ``Viewer``. The matrix (each cell is a test
in ``tests/opportunities``):

| action                                   | anon | no org | member | admin | editor |
|------------------------------------------|------|--------|--------|-------|--------|
| read published calls, posts, events      | yes  | yes    | yes    | yes   | yes    |
| propose a call (reviewed by an editor)   | no   | no     | yes    | yes   | yes    |
| publish a post / consortium interest     | no   | no     | no     | yes   | no     |
| read a post waiting for review           | no   | no     | own    | own   | yes    |
| close or renew a post                    | no   | no     | no     | own   | yes    |
| express interest in a post               | no   | no     | no     | other | no     |
| read and write its private conversation  | no   | no     | no     | either| no     |
| register an organization for an event    | no   | no     | no     | yes   | no     |
| browse participants, request a meeting   | no   | no     | regd.  | regd. | no     |
| accept / decline / cancel a meeting      | no   | no     | its    | its   | no     |

"either": of the post's organization or of the interested one.
"regd.": of an organization registered (not waiting) for the event; "its": of one of the two
organizations of the meeting. Superusers may do everything an admin may, for any organization.
Editors review calls and posts, and curate events, in the Wagtail admin.
"""

from dataclasses import dataclass

from core.roles import is_editor


@dataclass(frozen=True)
class Viewer:
    """One person's standing, read in one query and kept on ``request.user``."""

    authenticated: bool = False
    superuser: bool = False
    editor: bool = False
    org_ids: frozenset = frozenset()
    admin_ids: frozenset = frozenset()

    def is_member(self, organization_id):
        return self.superuser or organization_id in self.org_ids

    def is_admin(self, organization_id):
        return self.superuser or organization_id in self.admin_ids


ANONYMOUS = Viewer()


def viewer_for(user):
    if not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, "_opportunities_viewer", None)
    if cached is not None:
        return cached
    from partners.models import Membership

    roles = dict(Membership.objects.filter(user=user).values_list("organization_id", "role"))
    viewer = Viewer(
        authenticated=True,
        superuser=user.is_superuser,
        editor=is_editor(user),
        org_ids=frozenset(roles),
        admin_ids=frozenset(pk for pk, role in roles.items() if role == Membership.Role.ADMIN),
    )
    user._opportunities_viewer = viewer
    return viewer


def can_propose_call(viewer):
    return viewer.superuser or viewer.editor or bool(viewer.org_ids)


def can_post(viewer):
    return viewer.superuser or bool(viewer.admin_ids)


def can_see_post(viewer, post):
    return post.is_listed or viewer.editor or viewer.is_member(post.organization_id)


def can_manage_post(viewer, post):
    return viewer.editor or viewer.is_admin(post.organization_id)


def can_express_interest(viewer, post):
    return post.is_listed and bool(viewer.admin_ids - {post.organization_id})


def can_converse(viewer, interest, post):
    """The admins of the two organizations, and nobody else (not members, not editors)."""
    return viewer.is_admin(post.organization_id) or viewer.is_admin(interest.organization_id)


def conversation_side(viewer, interest, post):
    """The organization the viewer writes for: the interested one if they administer it."""
    if viewer.is_admin(interest.organization_id) and not viewer.is_admin(post.organization_id):
        return interest.organization_id
    if viewer.is_admin(post.organization_id):
        return post.organization_id
    return None


def can_register(viewer):
    return viewer.superuser or bool(viewer.admin_ids)


def registered_org_ids(viewer, registered):
    """Of the viewer's organizations, those registered for the event (``registered``: ids)."""
    if viewer.superuser:
        return set(registered)
    return set(registered) & viewer.org_ids


def can_answer_meeting(viewer, meeting):
    return viewer.is_member(meeting.recipient_id)


def can_cancel_meeting(viewer, meeting):
    return viewer.is_member(meeting.requester_id) or viewer.is_member(meeting.recipient_id)
