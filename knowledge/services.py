"""Every write that matters for communities and their knowledge.

Views, the admin's hooks, the workflow signals and the demo call these. Each one checks who is
asking (``PermissionDenied``), validates (``ValidationError``) before changing anything, writes
in one transaction, grants permissions through ``knowledge.permissions``, records who changed
who may do what with ``core.audit`` and tells the people concerned through
``notifications.services``.
"""

import re

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.coreutils import find_available_slug
from wagtail.models import Locale, Site

from core.audit import audit_record
from core.pagecache import cache_invalidate
from core.roles import is_editor
from notifications.services import notification_create, notification_create_many

from . import audit, permissions
from .models import (
    Answer,
    Community,
    CommunityFollow,
    CommunityMembership,
    KnowledgeIndexPage,
    KnowledgeItemPage,
    Question,
    Session,
    UsefulVote,
)
from .selectors import can_accept, community_access, facilitators_of, followers_of

MENTION = re.compile(r"(?<![\w@])@([\w.+-]{1,150})")


def _community_url(community):
    return reverse("knowledge:community", args=[community.slug])


def _question_url(question):
    return reverse("knowledge:question", args=[question.community.slug, question.pk])


def _require(condition, message):
    if not condition:
        raise PermissionDenied(message)


# --- Communities ----------------------------------------------------------------------------


@transaction.atomic
def community_create(*, user, name, summary, slug=None, facilitators=(), **fields):
    """A new community with its groups and review workflow; ``user`` (an editor) makes it.

    ``facilitators`` become its first facilitators.
    """
    _require(is_editor(user), _("Only the cluster's editors create communities."))
    m2m = {key: fields.pop(key) for key in ("sectors", "sdgs") if key in fields}
    community = Community(
        name=(name or "").strip(),
        slug=slug or slugify(name or "")[:120],
        summary=(summary or "").strip(),
        created_by=user,
        **fields,
    )
    community.full_clean()
    community.save()
    for key, value in m2m.items():
        getattr(community, key).set(value)
    community_setup(community)
    for person in facilitators:
        _membership_activate(community, person, CommunityMembership.Role.FACILITATOR, by=user)
    return community


def community_setup(community):
    """Its guardian groups and review workflow, made once (also after the admin creates one)."""
    permissions.community_groups(community)
    permissions.community_workflow(community)


def _membership_activate(community, user, role, *, by, organization=None):
    membership, created = CommunityMembership.objects.get_or_create(
        community=community,
        user=user,
        defaults={"role": role, "status": CommunityMembership.Status.ACTIVE},
    )
    if not created:
        membership.role = role
        membership.status = CommunityMembership.Status.ACTIVE
    membership.organization = organization or membership.organization
    membership.decided_at = timezone.now()
    membership.save()
    permissions.membership_grant(membership)
    CommunityFollow.objects.get_or_create(community=community, user=user)
    audit_record(community, audit.JOINED, user=by, person=user, role=role)
    return membership


@transaction.atomic
def membership_join(*, community, user, organization=None):
    """Join an open community at once, or ask to join one by approval."""
    _require(user.is_authenticated, _("Sign in to join a community."))
    if (
        organization is not None
        and not user.memberships.filter(organization=organization).exists()
    ):
        raise ValidationError(
            {"organization": _("You can only join on behalf of your own organization.")}
        )
    existing = (
        CommunityMembership.objects.select_for_update()
        .filter(community=community, user=user)
        .first()
    )
    if existing is not None:
        if existing.status == CommunityMembership.Status.ACTIVE:
            raise ValidationError(_("You are already a member of this community."))
        raise ValidationError(_("Your request to join is waiting for a facilitator."))
    if community.joining == Community.Joining.OPEN:
        return _membership_activate(
            community, user, CommunityMembership.Role.MEMBER, by=user, organization=organization
        )
    membership = CommunityMembership.objects.create(
        community=community,
        user=user,
        organization=organization,
        status=CommunityMembership.Status.REQUESTED,
    )
    audit_record(community, audit.REQUESTED, user=user, person=user)
    name = user.get_full_name() or user.get_username()

    def render():
        return (
            _("%(name)s asks to join %(community)s") % {"name": name, "community": community},
            _("Accept or decline the request on the community's page."),
        )

    notification_create_many(
        users=facilitators_of(community),
        kind="knowledge.join_request",
        render=render,
        url=_community_url(community),
    )
    return membership


@transaction.atomic
def membership_approve(*, membership, by):
    community = membership.community
    _require(community_access(by, community).can_facilitate, _("Only facilitators accept."))
    if membership.status != CommunityMembership.Status.REQUESTED:
        raise ValidationError(_("This request was already answered."))
    membership = _membership_activate(community, membership.user, membership.role, by=by)
    audit_record(community, audit.APPROVED, user=by, person=membership.user, role=membership.role)

    def render():
        return (
            _("Welcome to %(community)s") % {"community": community},
            _("A facilitator accepted your request to join."),
        )

    notification_create(
        user=membership.user,
        kind="knowledge.joined",
        render=render,
        url=_community_url(community),
    )
    return membership


@transaction.atomic
def membership_decline(*, membership, by):
    _require(
        community_access(by, membership.community).can_facilitate, _("Only facilitators decline.")
    )
    if membership.status != CommunityMembership.Status.REQUESTED:
        raise ValidationError(_("This request was already answered."))
    membership.delete()


@transaction.atomic
def membership_leave(*, community, user):
    membership = CommunityMembership.objects.filter(community=community, user=user).first()
    if membership is None:
        raise ValidationError(_("You are not a member of this community."))
    if (
        membership.role == CommunityMembership.Role.FACILITATOR
        and membership.status == CommunityMembership.Status.ACTIVE
        and not CommunityMembership.objects.filter(
            community=community,
            role=CommunityMembership.Role.FACILITATOR,
            status=CommunityMembership.Status.ACTIVE,
        )
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise ValidationError(
            _("You are the community's only facilitator: name another one before leaving.")
        )
    membership.delete()
    permissions.membership_revoke(community=community, user_ids=[user.pk])
    CommunityFollow.objects.filter(community=community, user=user).delete()
    audit_record(community, audit.LEFT, user=user, person=user)


@transaction.atomic
def membership_role_set(*, membership, role, by):
    community = membership.community
    _require(community_access(by, community).can_facilitate, _("Only facilitators name roles."))
    if role not in CommunityMembership.Role.values:
        raise ValidationError(_("Choose a valid role."))
    if membership.status != CommunityMembership.Status.ACTIVE:
        raise ValidationError(_("Accept the request first."))
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    permissions.membership_grant(membership)
    audit_record(community, audit.ROLE, user=by, person=membership.user, role=role, old_role=old)
    return membership


@transaction.atomic
def follow_set(*, community, user, follow):
    _require(user.is_authenticated, _("Sign in to follow a community."))
    if follow:
        CommunityFollow.objects.get_or_create(community=community, user=user)
    else:
        CommunityFollow.objects.filter(community=community, user=user).delete()


def _notify_followers(community, *, kind, render, url, exclude):
    people = [person for person in followers_of(community) if person.pk not in exclude]
    if people:
        notification_create_many(users=people, kind=kind, render=render, url=url)


# --- Questions and answers ------------------------------------------------------------------


def _clean_text(value, *, field, label, max_length, required=True):
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("%(label)s cannot be empty.") % {"label": label}})
    if len(value) > max_length:
        raise ValidationError(
            {
                field: _("%(label)s is too long (at most %(max)d characters).")
                % {"label": label, "max": max_length}
            }
        )
    return value


@transaction.atomic
def question_ask(*, community, user, title, body="", members_only=None):
    _require(
        community_access(user, community).can_take_part,
        _("Join the community to ask a question."),
    )
    question = Question(
        community=community,
        author=user,
        title=_clean_text(title, field="title", label=_("The question"), max_length=200),
        body=_clean_text(
            body, field="body", label=_("The details"), max_length=10000, required=False
        ),
        members_only=community.members_only_default if members_only is None else members_only,
    )
    question.full_clean()
    question.save()
    url = _question_url(question)

    def render():
        return (
            _("New question in %(community)s") % {"community": community},
            question.title,
        )

    _notify_followers(
        community, kind="knowledge.question", render=render, url=url, exclude={user.pk}
    )
    _notify_mentions(question.body, community=community, by=user, url=url)
    return question


@transaction.atomic
def answer_post(*, question, user, body):
    community = question.community
    _require(community_access(user, community).can_take_part, _("Join the community to answer."))
    answer = Answer(
        question=question,
        author=user,
        body=_clean_text(body, field="body", label=_("The answer"), max_length=10000),
    )
    answer.full_clean()
    answer.save()
    url = _question_url(question)
    if question.author_id and question.author_id != user.pk:
        name = user.get_full_name() or user.get_username()

        def render():
            return (
                _("%(name)s answered your question") % {"name": name},
                question.title,
            )

        notification_create(user=question.author, kind="knowledge.answer", render=render, url=url)
    _notify_mentions(answer.body, community=community, by=user, url=url)
    return answer


def _notify_mentions(text, *, community, by, url):
    """Tell the community's members named as @username; others are not told (they cannot
    read a members-only question, and a public one reaches followers anyway)."""
    names = {name.rstrip(".") for name in MENTION.findall(text or "")}
    if not names:
        return
    people = list(
        get_user_model()
        .objects.filter(
            username__in=names,
            is_active=True,
            community_memberships__community=community,
            community_memberships__status=CommunityMembership.Status.ACTIVE,
        )
        .exclude(pk=by.pk)
    )
    if not people:
        return
    name = by.get_full_name() or by.get_username()

    def render():
        return (
            _("%(name)s mentioned you in %(community)s") % {"name": name, "community": community},
            text[:300],
        )

    notification_create_many(users=people, kind="knowledge.mention", render=render, url=url)


@transaction.atomic
def answer_accept(*, answer, user):
    """The asker or a facilitator marks ``answer`` as the accepted one (replacing any other)."""
    question = Question.objects.select_for_update().get(pk=answer.question_id)
    access = community_access(user, question.community)
    _require(
        can_accept(user, access, question),
        _("Only the person who asked or a facilitator accepts an answer."),
    )
    question.accepted_answer = answer
    question.save(update_fields=["accepted_answer"])
    if answer.author_id:
        audit_record(question.community, audit.ANSWER_ACCEPTED, user=user, person=answer.author)
    if answer.author_id and answer.author_id != user.pk:

        def render():
            return (_("Your answer was accepted"), question.title)

        notification_create(
            user=answer.author,
            kind="knowledge.accepted",
            render=render,
            url=_question_url(question),
        )
    return question


@transaction.atomic
def answer_promote(*, answer, user, kind=KnowledgeItemPage.Kind.GUIDE):
    """A facilitator turns an answer into a knowledge item, sent to the community's review."""
    question = answer.question
    community = question.community
    _require(
        community_access(user, community).can_facilitate,
        _("Only facilitators promote answers into knowledge."),
    )
    if answer.promoted_to_id:
        raise ValidationError(_("This answer is already a knowledge item."))
    item = item_propose(
        user=user,
        community=community,
        title=question.title,
        kind=kind,
        summary=question.title,
        body=f"{question.body}\n\n{answer.body}".strip(),
        members_only=question.members_only,
    )
    answer.promoted_to = item
    answer.save(update_fields=["promoted_to"])
    return item


# --- Knowledge items ------------------------------------------------------------------------


def knowledge_index():
    """The knowledge base page of the default locale, made under the site's root if missing."""
    index = KnowledgeIndexPage.objects.filter(locale=Locale.get_default()).first()
    if index is not None:
        return index
    site = Site.objects.get(is_default_site=True)
    root = site.root_page.specific
    return root.add_child(
        instance=KnowledgeIndexPage(
            title="Knowledge", slug=find_available_slug(root, "knowledge"), live=True
        )
    )


def _paragraphs(text):
    """Plain text as rich-text paragraphs for the body StreamField."""
    blocks = []
    for chunk in re.split(r"\n\s*\n", text or ""):
        chunk = chunk.strip()
        if chunk:
            html = "<p>" + escape(chunk).replace("\n", "<br>") + "</p>"
            blocks.append(("paragraph", html))
    return blocks


@transaction.atomic
def item_propose(
    *,
    user,
    community,
    title,
    kind=KnowledgeItemPage.Kind.GUIDE,
    summary="",
    body="",
    template=None,
    members_only=None,
    submit=True,
    related_projects=(),
    author_organizations=(),
    sdgs=(),
    **fields,
):
    """A member's draft knowledge item, submitted to the community's review workflow.

    ``body`` is plain text (paragraphs separated by blank lines); with ``template`` the new
    item starts from that item's body instead when no body is given.
    """
    access = community_access(user, community)
    _require(access.can_take_part, _("Join the community to propose knowledge."))
    title = _clean_text(title, field="title", label=_("The title"), max_length=255)
    index = knowledge_index()
    if body:
        stream = _paragraphs(body)
    elif template is not None:
        stream = template.body.raw_data
    else:
        stream = []
    item = KnowledgeItemPage(
        title=title,
        slug=find_available_slug(index, slugify(title)[:70] or "item"),
        live=False,
        community=community,
        kind=kind,
        summary=_clean_text(
            summary, field="summary", label=_("The summary"), max_length=300, required=False
        ),
        body=stream,
        members_only=community.members_only_default if members_only is None else members_only,
        owner=user,
        **fields,
    )
    item.full_clean(exclude=["path", "depth", "url_path", "content_type"])
    item.related_projects.set(related_projects)
    item.author_organizations.set(author_organizations)
    item.sdgs.set(sdgs)
    index.add_child(instance=item)
    item.owner = user
    item.save(update_fields=["owner"])
    permissions.item_restriction_set(item)
    item.save_revision(user=user, log_action=True)
    if submit:
        workflow = item.get_workflow()
        if workflow:
            workflow.start(item, user)
    return item


@transaction.atomic
def item_review(*, item, user, approve, comment=""):
    """A facilitator (or an editor) approves the item (publishing it) or sends it back."""
    access = community_access(user, item.community)
    _require(access.can_review, _("Only the community's facilitators review its knowledge."))
    state = item.current_workflow_state
    if not (state and state.current_task_state):
        raise ValidationError(_("This item is not awaiting review."))
    comment = (comment or "").strip()[:1000]
    if approve:
        state.current_task_state.approve(user=user, comment=comment)
    else:
        state.current_task_state.reject(user=user, comment=comment)
    item.refresh_from_db()
    return item


def item_review_notify(*, item, approved, comment=""):
    """Tell the item's owner how its review ended; followers hear of published items."""
    community = item.community
    if item.owner_id:

        def render():
            if approved:
                title = _("“%(title)s” is published") % {"title": item.title}
                body = _("Your knowledge item passed the community's review.")
            else:
                title = _("“%(title)s” needs changes") % {"title": item.title}
                body = _("The reviewers sent it back.")
            if comment:
                body = f"{body}\n\n{_('Comment:')} {comment}"
            return title, body

        notification_create(
            user=item.owner,
            kind="knowledge.approved" if approved else "knowledge.rejected",
            render=render,
            url=_community_url(community),
        )
    if approved:

        def news():
            return (_("New in %(community)s") % {"community": community}, item.title)

        _notify_followers(
            community,
            kind="knowledge.item",
            render=news,
            url=item.url or _community_url(community),
            exclude={item.owner_id},
        )


@transaction.atomic
def item_vote(*, item, user, useful):
    """One vote per person and item; voting again changes it. Counts are kept on the item."""
    _require(user.is_authenticated, _("Sign in to vote."))
    if not item.live:
        raise ValidationError(_("Only published items take votes."))
    vote, created = UsefulVote.objects.get_or_create(
        item=item, user=user, defaults={"useful": bool(useful)}
    )
    if not created and vote.useful != bool(useful):
        vote.useful = bool(useful)
        vote.save(update_fields=["useful", "created_at"])
    counts = UsefulVote.objects.filter(item=item)
    KnowledgeItemPage.objects.filter(pk=item.pk).update(
        useful_count=counts.filter(useful=True).count(),
        not_useful_count=counts.filter(useful=False).count(),
    )
    # The counts show on the published page, which the page cache keeps for visitors.
    cache_invalidate()
    return vote


def item_viewed(*, item):
    KnowledgeItemPage.objects.filter(pk=item.pk).update(view_count=F("view_count") + 1)


# --- Sessions -------------------------------------------------------------------------------


@transaction.atomic
def session_create(*, community, user, **fields):
    _require(
        community_access(user, community).can_facilitate,
        _("Only facilitators schedule sessions."),
    )
    session = Session(community=community, created_by=user, **fields)
    session.full_clean()
    session.save()
    when = session.starts_at

    def render():
        return (
            _("New session in %(community)s") % {"community": community},
            f"{session.title} ({timezone.localtime(when):%Y-%m-%d %H:%M})",
        )

    _notify_followers(
        community,
        kind="knowledge.session",
        render=render,
        url=_community_url(community),
        exclude={user.pk},
    )
    return session


# --- Personal data --------------------------------------------------------------------------


def personal_data_forget(user, context):
    """Account deletion: memberships, follows and votes go; questions, answers and sessions
    stay for the community without their author; the audit entries lose the name."""
    from wagtail.models import ModelLogEntry

    for membership in CommunityMembership.objects.filter(user=user).select_related("community"):
        permissions.membership_revoke(community=membership.community, user_ids=[user.pk])
    CommunityMembership.objects.filter(user=user).delete()
    CommunityFollow.objects.filter(user=user).delete()
    item_ids = list(UsefulVote.objects.filter(user=user).values_list("item_id", flat=True))
    UsefulVote.objects.filter(user=user).delete()
    for item_id in item_ids:
        counts = UsefulVote.objects.filter(item_id=item_id)
        KnowledgeItemPage.objects.filter(pk=item_id).update(
            useful_count=counts.filter(useful=True).count(),
            not_useful_count=counts.filter(useful=False).count(),
        )
    Question.objects.filter(author=user).update(author=None)
    Answer.objects.filter(author=user).update(author=None)
    Session.objects.filter(created_by=user).update(created_by=None)
    Community.objects.filter(created_by=user).update(created_by=None)
    changed = []
    for entry in ModelLogEntry.objects.filter(
        action__startswith="knowledge.", data__person__id=user.pk
    ):
        entry.data["person"] = {"id": None, "name": context.former}
        changed.append(entry)
    ModelLogEntry.objects.bulk_update(changed, ["data"])
