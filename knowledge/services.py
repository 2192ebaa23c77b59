"""Every write that matters for communities and their knowledge.

Views, the admin's hooks, the workflow signals and the demo call these. Each one checks who is
asking (``PermissionDenied``), validates (``ValidationError``) before changing anything, writes
in one transaction, grants permissions through ``knowledge.permissions``, records who changed
who may do what with ``core.audit`` and tells the people concerned through
``notifications.services``.
"""

import re
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.coreutils import find_available_slug
from wagtail.documents import get_document_model
from wagtail.embeds.blocks import EmbedValue
from wagtail.models import Collection, Locale, Site

from core.audit import audit_record
from core.pagecache import cache_invalidate
from core.roles import is_editor
from notifications.services import notification_create, notification_create_many

from . import audit, permissions
from .files import check_material
from .models import (
    Answer,
    AnswerComment,
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
    cache_invalidate()
    return community


@transaction.atomic
def community_update(*, community, user, charter, joining, members_only_default, sectors, sdgs):
    """A facilitator changes the community's charter, joining mode, default and vocabularies."""
    _require(
        community_access(user, community).can_facilitate,
        _("Only the community's facilitators change it."),
    )
    community = Community.objects.select_for_update().get(pk=community.pk)
    community.charter = (charter or "").strip()
    community.joining = joining
    community.members_only_default = bool(members_only_default)
    community.full_clean()
    community.save(update_fields=["charter", "joining", "members_only_default"])
    community.sectors.set(sectors)
    community.sdgs.set(sdgs)
    audit_record(community, audit.EDITED, user=user)
    cache_invalidate()
    return community


@transaction.atomic
def facilitator_name(*, community, person, by):
    """An editor names ``person`` a facilitator (the first one of a community made in the
    admin, say); they are told."""
    _require(is_editor(by), _("Only the cluster's editors name facilitators here."))
    community_setup(community)
    membership = _membership_activate(
        community, person, CommunityMembership.Role.FACILITATOR, by=by
    )

    def render():
        return (
            _("You facilitate %(community)s") % {"community": community},
            _("Accept members, review proposals and schedule sessions on its page."),
        )

    notification_create(
        user=person, kind="knowledge.joined", render=render, url=_community_url(community)
    )
    return membership


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
    # The community's public page lists its members and organizations.
    cache_invalidate()
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
    cache_invalidate()


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
    cache_invalidate()
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
    cache_invalidate()
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
    cache_invalidate()
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
def comment_post(*, answer, user, body):
    """A member comments on an answer; its author hears of it, and so do those mentioned."""
    question = answer.question
    community = question.community
    _require(community_access(user, community).can_take_part, _("Join the community to comment."))
    comment = AnswerComment(
        answer=answer,
        author=user,
        body=_clean_text(body, field="body", label=_("The comment"), max_length=2000),
    )
    comment.full_clean()
    comment.save()
    cache_invalidate()
    url = _question_url(question) + f"#answer-{answer.pk}"
    if answer.author_id and answer.author_id != user.pk:
        name = user.get_full_name() or user.get_username()

        def render():
            return (
                _("%(name)s commented on your answer") % {"name": name},
                comment.body[:300],
            )

        notification_create(user=answer.author, kind="knowledge.comment", render=render, url=url)
    _notify_mentions(comment.body, community=community, by=user, url=url)
    return comment


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
    cache_invalidate()
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
    cache_invalidate()
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
    stream=None,
    members_only=None,
    submit=True,
    related_projects=(),
    author_organizations=(),
    sdgs=(),
    **fields,
):
    """A member's draft knowledge item, submitted to the community's review workflow.

    ``body`` is plain text (paragraphs separated by blank lines); with ``template`` the new
    item starts from that item's body instead when no body is given; ``stream`` (StreamField
    blocks) is used as it is.
    """
    access = community_access(user, community)
    _require(access.can_take_part, _("Join the community to propose knowledge."))
    title = _clean_text(title, field="title", label=_("The title"), max_length=255)
    index = knowledge_index()
    if stream is not None:
        pass
    elif body:
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
def item_translate(*, item, user, language, title, summary="", body=""):
    """A member's version of ``item`` in another content language: a Wagtail translation (the
    same ``translation_key``, in that language's locale tree, under /es/ or /ca/), sent to the
    community's review like any proposal. An empty ``body`` keeps the original's, to be
    translated in the admin."""
    community = item.community
    _require(
        community_access(user, community).can_take_part,
        _("Join the community to translate its knowledge."),
    )
    item = KnowledgeItemPage.objects.select_for_update().get(pk=item.pk)
    if language not in dict(settings.WAGTAIL_CONTENT_LANGUAGES):
        raise ValidationError({"language": _("Choose one of the portal's languages.")})
    if language == item.locale.language_code:
        raise ValidationError({"language": _("The item is already written in this language.")})
    locale = Locale.objects.get(language_code=language)
    if item.get_translation_or_none(locale) is not None:
        raise ValidationError({"language": _("This item already has a version in this language.")})
    title = _clean_text(title, field="title", label=_("The title"), max_length=255)
    summary = _clean_text(
        summary, field="summary", label=_("The summary"), max_length=300, required=False
    )
    translation = item.copy_for_translation(locale, copy_parents=True)
    translation.title = translation.draft_title = title
    translation.summary = summary
    translation.language = language
    translation.owner = user
    if body:
        translation.body = _paragraphs(body)
    translation.save()
    translation.related_projects.set(item.related_projects.all())
    translation.author_organizations.set(item.author_organizations.all())
    translation.sdgs.set(item.sdgs.all())
    translation.save()
    permissions.item_restriction_set(translation)
    translation.save_revision(user=user, log_action=True)
    workflow = translation.get_workflow()
    if workflow:
        workflow.start(translation, user)
    return translation


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
    # Votes on one item wait for each other: each recount then sees the votes before it, so
    # simultaneous votes never leave a count short.
    KnowledgeItemPage.objects.select_for_update(of=("self",)).filter(pk=item.pk).first()
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


@transaction.atomic
def item_reviewed_confirm(*, item, user):
    """A facilitator (or the item's owner, a member still) confirms the published item is still
    current: "last reviewed" becomes today, in a new published revision, and the "may be out of
    date" notice goes."""
    access = community_access(user, item.community)
    _require(
        access.can_facilitate or (access.can_take_part and item.owner_id == user.pk),
        _("Only the community's facilitators or the item's owner confirm it is current."),
    )
    item = KnowledgeItemPage.objects.select_for_update(of=("self",)).get(pk=item.pk)
    if not item.live:
        raise ValidationError(_("Only published items are confirmed as current."))
    if item.has_unpublished_changes:
        raise ValidationError(_("This item has changes waiting for review: review them first."))
    item.last_reviewed = timezone.localdate()
    # Checked above: an owner may confirm without being one who publishes.
    item.save_revision(user=user, log_action=True).publish(user=user, skip_permission_checks=True)
    return item


def item_viewed(*, item):
    KnowledgeItemPage.objects.filter(pk=item.pk).update(view_count=F("view_count") + 1)


# --- Sessions -------------------------------------------------------------------------------


MATERIALS_COLLECTION = "Community materials"


def materials_collection(community):
    """The community's Wagtail collection for session materials, made on first use."""
    root = Collection.get_first_root_node()
    parent = root.get_children().filter(name=MATERIALS_COLLECTION).first()
    if parent is None:
        parent = root.add_child(name=MATERIALS_COLLECTION)
    name = f"{community.name} ({community.pk})"[:255]
    return parent.get_children().filter(name=name).first() or parent.add_child(name=name)


def _materials_store(*, community, user, upload, title):
    """``upload`` as a Wagtail document under a random name (never guessable from its own).
    Called once the session itself has been validated, so a refused session stores no file."""
    extension = check_material(upload)
    stored = UploadedFile(
        file=upload.file if hasattr(upload, "file") else upload,
        name=f"cop-{secrets.token_hex(16)}.{extension}",
        size=upload.size,
    )
    document = get_document_model()(
        title=title[:255],
        file=stored,
        collection=materials_collection(community),
        uploaded_by_user=user,
    )
    document.file_size = upload.size
    document.save()
    return document


@transaction.atomic
def session_create(*, community, user, materials_upload=None, **fields):
    """A facilitator schedules a session; ``materials_upload`` (slides, a handout) becomes a
    Wagtail document, readable by everyone or, in a community that keeps its content among
    its members, only by them (``wagtail_hooks.community_only_materials``)."""
    _require(
        community_access(user, community).can_facilitate,
        _("Only facilitators schedule sessions."),
    )
    session = Session(community=community, created_by=user, **fields)
    session.full_clean()
    if materials_upload is not None:
        session.materials = _materials_store(
            community=community, user=user, upload=materials_upload, title=session.title
        )
    session.save()
    cache_invalidate()
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


@transaction.atomic
def session_recording_add(*, session, user, link, title="", summary=""):
    """A facilitator adds the recording of a session that has taken place: it becomes a
    knowledge item (a recording, embedded and linked), sent to the community's review like any
    proposal, and the session links it."""
    community = session.community
    _require(
        community_access(user, community).can_facilitate,
        _("Only facilitators add a session's recording."),
    )
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.recording_id:
        raise ValidationError(_("This session already has its recording."))
    if session.starts_at > timezone.now():
        raise ValidationError(_("Add the recording once the session has taken place."))
    link = (link or "").strip()
    try:
        URLValidator(schemes=["https", "http"])(link)
    except ValidationError:
        raise ValidationError(
            {"link": _("Give the recording's web address (https://…).")}
        ) from None
    title = (title or "").strip() or _("Recording: %(session)s") % {"session": session.title}
    summary = (summary or "").strip() or session.description
    when = timezone.localtime(session.starts_at)
    note = _("Recorded at the session of %(date)s.") % {"date": f"{when:%Y-%m-%d}"}
    watch = escape(_("Watch the recording"))
    stream = [
        ("embed", EmbedValue(link)),
        ("paragraph", f'<p>{escape(note)} <a href="{escape(link)}">{watch}</a></p>'),
    ]
    item = item_propose(
        user=user,
        community=community,
        title=title[:255],
        kind=KnowledgeItemPage.Kind.RECORDING,
        summary=summary[:300],
        stream=stream,
    )
    session.recording = item
    session.save(update_fields=["recording"])
    cache_invalidate()
    return item


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
    AnswerComment.objects.filter(author=user).update(author=None)
    Session.objects.filter(created_by=user).update(created_by=None)
    Community.objects.filter(created_by=user).update(created_by=None)
    changed = []
    for entry in ModelLogEntry.objects.filter(
        action__startswith="knowledge.", data__person__id=user.pk
    ):
        entry.data["person"] = {"id": None, "name": context.former}
        changed.append(entry)
    ModelLogEntry.objects.bulk_update(changed, ["data"])
    # Public community pages named the person as a member, asker or answerer.
    cache_invalidate()
