"""Reads about communities and their knowledge: who may see or do what, and the lists.

Permission checks read the person's grants on a community once (``community_perms``), never
per row; lists are read with their related rows in a fixed number of queries.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import CharField, Count, Prefetch, Q, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from guardian.core import ObjectPermissionChecker
from wagtail.models import Page, WorkflowState

from core.person_cards import with_card_urls
from core.project_figures import project_headline_figures
from core.roles import is_editor

from .models import (
    Answer,
    AnswerComment,
    Community,
    CommunityFollow,
    CommunityMembership,
    KnowledgeItemPage,
    Question,
    Session,
    UsefulVote,
)
from .permissions import ALL_PERMS

PAGE_SIZE = 20
LATEST = 5


# --- Permissions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Access:
    """What one person may do in one community, read in one round of queries."""

    perms: frozenset = field(default_factory=frozenset)
    editor: bool = False
    superuser: bool = False
    signed_in: bool = False

    @property
    def can_read_private(self):
        return self.superuser or self.editor or "view_community_content" in self.perms

    @property
    def can_take_part(self):
        return self.superuser or "take_part" in self.perms

    @property
    def can_facilitate(self):
        return self.superuser or "facilitate" in self.perms

    @property
    def can_review(self):
        """Facilitators review their community's items; editors review everything."""
        return self.can_facilitate or self.editor


def community_access(user, community):
    if not user.is_authenticated or not user.is_active:
        return Access()
    if user.is_superuser:
        return Access(perms=frozenset(ALL_PERMS), editor=True, superuser=True, signed_in=True)
    perms = frozenset(ObjectPermissionChecker(user).get_perms(community)) & frozenset(ALL_PERMS)
    return Access(perms=perms, editor=is_editor(user), signed_in=True)


def can_view_question(access, question):
    return not question.members_only or access.can_read_private


def can_accept(user, access, question):
    """The asker or a facilitator accepts an answer."""
    return access.can_facilitate or (
        user.is_authenticated and question.author_id == user.pk and access.can_take_part
    )


def visible_items(access):
    """Published knowledge items this person may read."""
    items = KnowledgeItemPage.objects.live()
    if not access.can_read_private:
        items = items.filter(members_only=False)
    return items


# --- Communities ----------------------------------------------------------------------------


def community_get(slug):
    return Community.objects.filter(slug=slug).first()


def community_directory(page_number):
    communities = (
        Community.objects.annotate(
            member_count=Count(
                "memberships",
                filter=Q(memberships__status=CommunityMembership.Status.ACTIVE),
                distinct=True,
            )
        )
        .prefetch_related("sdgs", "sectors")
        .order_by("name")
    )
    return Paginator(communities, PAGE_SIZE).get_page(page_number)


def community_page(user, community, access, *, member_page=None):
    """Everything the community page shows, each list in a fixed number of queries."""
    memberships = (
        CommunityMembership.objects.filter(community=community)
        .select_related("user", "organization")
        .order_by("-role", "user__first_name", "user__username")
    )
    active = memberships.filter(status=CommunityMembership.Status.ACTIVE)
    mine = None
    following = False
    if user.is_authenticated:
        mine = memberships.filter(user=user).first()
        following = CommunityFollow.objects.filter(community=community, user=user).exists()
    questions = (
        Question.objects.filter(community=community)
        .select_related("author")
        .annotate(answer_count=Count("answers"))
        .order_by("-created_at", "-id")
    )
    if not access.can_read_private:
        questions = questions.filter(members_only=False)
    items = one_version_each(
        visible_items(access).filter(community=community).order_by("-first_published_at", "-id"),
        active_locale_id(),
    )
    members = Paginator(active, PAGE_SIZE).get_page(member_page)
    # Each name links to the person's card, when they show one (one query for the page).
    members.object_list = with_card_urls(members.object_list)
    return {
        "community": community,
        "access": access,
        "membership": mine,
        "following": following,
        "facilitators": [m for m in active if m.role == CommunityMembership.Role.FACILITATOR],
        "members": members,
        "organizations": _organizations(active),
        "requests": list(memberships.filter(status=CommunityMembership.Status.REQUESTED))
        if access.can_facilitate
        else [],
        "questions": list(questions[:LATEST]),
        "items": list(items[:LATEST]),
        "sessions": list(
            Session.objects.filter(community=community, ends_at__gte=timezone.now())
            .select_related("recording", "materials")
            .order_by("starts_at")[:LATEST]
        ),
        # Sessions that took place, with their recordings (or, for facilitators, the way to
        # add one).
        "past_sessions": list(
            Session.objects.filter(community=community, ends_at__lt=timezone.now())
            .select_related("recording")
            .order_by("-starts_at", "-id")[:LATEST]
        ),
        "sdgs": list(community.sdgs.all()),
        "sectors": list(community.sectors.all()),
        "review_count": items_awaiting_review(community).count() if access.can_review else 0,
    }


def _organizations(active):
    seen = {}
    for membership in active.exclude(organization=None)[:200]:
        seen.setdefault(membership.organization_id, membership.organization)
    return sorted(seen.values(), key=lambda o: o.title)


def community_memberships_of(user):
    """Active memberships of ``user`` with their communities, for the portal."""
    if not user.is_authenticated:
        return []
    return list(
        CommunityMembership.objects.filter(user=user)
        .select_related("community")
        .order_by("community__name")
    )


def facilitators_of(community):
    from django.contrib.auth import get_user_model

    return list(
        get_user_model().objects.filter(
            community_memberships__community=community,
            community_memberships__role=CommunityMembership.Role.FACILITATOR,
            community_memberships__status=CommunityMembership.Status.ACTIVE,
            is_active=True,
        )
    )


def followers_of(community):
    from django.contrib.auth import get_user_model

    return list(
        get_user_model().objects.filter(community_follows__community=community, is_active=True)
    )


# --- Questions ------------------------------------------------------------------------------


def question_list(community, access, page_number):
    questions = (
        Question.objects.filter(community=community)
        .select_related("author", "accepted_answer")
        .annotate(answer_count=Count("answers"))
        .order_by("-created_at", "-id")
    )
    if not access.can_read_private:
        questions = questions.filter(members_only=False)
    return Paginator(questions, PAGE_SIZE).get_page(page_number)


def question_get(community, question_id):
    return (
        Question.objects.filter(community=community, pk=question_id)
        .select_related("author", "accepted_answer")
        .first()
    )


def question_answers(question):
    """The accepted answer first, then the others in order."""
    answers = list(
        Answer.objects.filter(question=question)
        .select_related("author", "promoted_to")
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=AnswerComment.objects.select_related("author").order_by(
                    "created_at", "id"
                ),
            )
        )
    )
    answers.sort(key=lambda a: (a.pk != question.accepted_answer_id, a.created_at, a.pk))
    return answers


# --- Knowledge items ------------------------------------------------------------------------


def one_version_each(items, locale_id):
    """One version of each item: the one in ``locale_id``'s language where it has one, else
    the original (every item is first written in the default locale's tree)."""
    if locale_id is None:
        return items
    translated = KnowledgeItemPage.objects.live().filter(locale_id=locale_id)
    return items.filter(
        Q(locale_id=locale_id)
        | (
            Q(locale__language_code=settings.LANGUAGE_CODE)
            & ~Q(translation_key__in=translated.values("translation_key"))
        )
    )


def active_locale_id():
    from wagtail.models import Locale

    try:
        return Locale.get_active().pk
    except Locale.DoesNotExist:
        return None


def item_directory(page_number, *, kind=None, locale_id=None):
    """The knowledge base's public list: published, public items, newest first, one version
    of each (``one_version_each``)."""
    items = one_version_each(
        KnowledgeItemPage.objects.live()
        .public()
        .filter(members_only=False)
        .select_related("community")
        .order_by("-first_published_at", "-id"),
        locale_id,
    )
    if kind in KnowledgeItemPage.Kind.values:
        items = items.filter(kind=kind)
    return Paginator(items, PAGE_SIZE).get_page(page_number)


MATERIALS_LIMIT = 200


def training_materials(project):
    """The knowledge base's published public items (one version each, newest first, at most
    ``MATERIALS_LIMIT``) as materials a training session may hand out, in one query."""
    from django.utils.translation import gettext

    source = gettext("Knowledge base")
    items = one_version_each(
        KnowledgeItemPage.objects.live()
        .public()
        .filter(members_only=False)
        .order_by("-first_published_at", "-id"),
        active_locale_id(),
    )[:MATERIALS_LIMIT]
    return [
        {
            "key": f"knowledge:item:{item.translation_key}",
            "title": item.title,
            "url": item.url,
            "source": source,
        }
        for item in items
    ]


def missing_languages(item):
    """(code, name) of the content languages ``item`` has no version in yet."""
    have = set(
        KnowledgeItemPage.objects.filter(translation_key=item.translation_key).values_list(
            "locale__language_code", flat=True
        )
    )
    return [(code, name) for code, name in settings.WAGTAIL_CONTENT_LANGUAGES if code not in have]


def item_versions(item):
    """The item's other live versions (Wagtail translations), with their locale."""
    return list(
        KnowledgeItemPage.objects.live()
        .filter(translation_key=item.translation_key)
        .exclude(pk=item.pk)
        .select_related("locale")
        .order_by("locale__language_code")
    )


def item_page_context(user, item):
    community = item.community
    access = community_access(user, community)
    vote = None
    if user.is_authenticated:
        vote = UsefulVote.objects.filter(item=item, user=user).values_list("useful", flat=True)
        vote = vote.first()
    related_projects = list(item.related_projects.live().order_by("title"))
    # A case study shows its projects' published SROI figures, linked to their reports.
    figures = project_headline_figures(related_projects)
    for project in related_projects:
        project.headline_figures = figures.get(project.pk, [])
    return {
        "community": community,
        "access": access,
        "my_vote": vote,
        "related_projects": related_projects,
        "author_organizations": list(item.author_organizations.live().order_by("title")),
        "sdgs": list(item.sdgs.all()),
        "versions": item_versions(item),
        "can_translate": item.live and access.can_take_part,
        "can_confirm_current": item.live
        and (
            access.can_facilitate
            or (access.can_take_part and user.is_authenticated and item.owner_id == user.pk)
        ),
    }


def items_awaiting_review(community):
    """Items of the community whose latest revision waits in its review workflow."""
    waiting = WorkflowState.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        content_type=ContentType.objects.get_for_model(KnowledgeItemPage),
        status=WorkflowState.STATUS_IN_PROGRESS,
    ).values("object_id")
    return (
        KnowledgeItemPage.objects.filter(community=community)
        .annotate(page_key=Cast("pk", output_field=CharField()))
        .filter(page_key__in=Subquery(waiting))
        .select_related("owner")
        .order_by("-latest_revision_created_at", "-id")
    )


def item_get_for_review(community, page_id):
    return items_awaiting_review(community).filter(pk=page_id).first()


def templates_for(community, access):
    return list(
        visible_items(access)
        .filter(community=community, is_template=True)
        .order_by("title")
        .only("id", "title")
    )


def item_get(page_id):
    return KnowledgeItemPage.objects.filter(pk=page_id).select_related("community").first()


def project_case_studies(project):
    """Published, public case studies about ``project`` (for its page and workspace)."""
    return list(
        KnowledgeItemPage.objects.live()
        .public()
        .filter(related_projects=project, kind=KnowledgeItemPage.Kind.CASE_STUDY)
        .order_by("title")
    )


# --- Sessions -------------------------------------------------------------------------------


def session_list(community, *, upcoming_only=False):
    sessions = Session.objects.filter(community=community).select_related("recording", "materials")
    if upcoming_only:
        sessions = sessions.filter(ends_at__gte=timezone.now())
    return sessions.order_by("starts_at", "id")


def session_get(community, session_id):
    return (
        Session.objects.filter(community=community, pk=session_id)
        .select_related("recording")
        .first()
    )


def materials_community(document):
    """The community whose session has ``document`` as its materials, or None."""
    session = Session.objects.filter(materials=document).select_related("community").first()
    return session.community if session is not None else None


# --- Personal data --------------------------------------------------------------------------


def _when(value):
    return value.isoformat() if value else None


def personal_data(user):
    """What the knowledge app keeps about ``user``, JSON-ready."""
    return {
        "community_memberships": [
            {
                "community": row.community.name,
                "role": row.role,
                "status": row.status,
                "joined_at": _when(row.created_at),
            }
            for row in CommunityMembership.objects.filter(user=user).select_related("community")
        ],
        "community_follows": list(
            CommunityFollow.objects.filter(user=user).values_list("community__name", flat=True)
        ),
        "questions": [
            {
                "community": row.community.name,
                "title": row.title,
                "body": row.body,
                "asked_at": _when(row.created_at),
            }
            for row in Question.objects.filter(author=user).select_related("community")
        ],
        "answers": [
            {
                "question": row.question.title,
                "body": row.body,
                "answered_at": _when(row.created_at),
            }
            for row in Answer.objects.filter(author=user).select_related("question")
        ],
        "comments": [
            {
                "question": row.answer.question.title,
                "body": row.body,
                "commented_at": _when(row.created_at),
            }
            for row in AnswerComment.objects.filter(author=user).select_related("answer__question")
        ],
        "useful_votes": [
            {"item": row.item.title, "useful": row.useful, "voted_at": _when(row.created_at)}
            for row in UsefulVote.objects.filter(user=user).select_related("item")
        ],
        "sessions_created": [
            {"community": row.community.name, "title": row.title}
            for row in Session.objects.filter(created_by=user).select_related("community")
        ],
    }
