"""Communities, questions, items and sessions built through the knowledge services."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from knowledge import services
from knowledge.models import Community, KnowledgeItemPage
from tests.factories import UserFactory
from tests.utils import editor


def community(*, name="Digital inclusion of young people", facilitator=None, **fields):
    facilitator = facilitator or UserFactory()
    return services.community_create(
        user=editor(),
        name=name,
        summary=f"Summary of {name}",
        facilitators=[facilitator],
        **fields,
    )


def published_item(*, community, user, title="A guide", reviewer=None, **fields):
    item = services.item_propose(
        user=user, community=community, title=title, body="Some text.", **fields
    )
    return services.item_review(item=item, user=reviewer or user, approve=True)


def session(*, community, user, days=7, **fields):
    starts = timezone.now() + datetime.timedelta(days=days)
    fields.setdefault("location", "Casal de Joves, Barcelona")
    return services.session_create(
        community=community,
        user=user,
        title=fields.pop("title", "Monthly meeting"),
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        **fields,
    )


@dataclass
class World:
    editor: object
    facilitator: object
    member: object
    other_member: object
    outsider: object
    superuser: object
    community: Community
    closed: Community
    question: object
    private_question: object
    answer: object
    item: KnowledgeItemPage
    private_item: KnowledgeItemPage
    draft: KnowledgeItemPage
    session: object
    request: object


def build_world():
    """One open community (``facilitator`` facilitates, ``member`` belongs), one by approval
    where ``outsider`` waits, public and members-only questions and items, a draft in review."""
    facilitator = UserFactory(username="k_facilitator")
    member = UserFactory(username="k_member")
    other_member = UserFactory(username="k_other_member")
    outsider = UserFactory(username="k_outsider")
    superuser = UserFactory(username="k_super", is_superuser=True, is_staff=True)
    open_community = community(facilitator=facilitator)
    services.membership_join(community=open_community, user=member)
    services.membership_join(community=open_community, user=other_member)
    closed = community(
        name="SROI measurement", facilitator=facilitator, joining=Community.Joining.APPROVAL
    )
    request = services.membership_join(community=closed, user=outsider)
    question = services.question_ask(
        community=open_community, user=member, title="How do we measure attendance?"
    )
    private_question = services.question_ask(
        community=open_community, user=member, title="Internal budget question", members_only=True
    )
    answer = services.answer_post(question=question, user=facilitator, body="Use a register.")
    item = published_item(
        community=open_community, user=member, title="Running coding clubs", reviewer=facilitator
    )
    private_item = published_item(
        community=open_community,
        user=member,
        title="Our funders list",
        reviewer=facilitator,
        members_only=True,
    )
    draft = services.item_propose(user=member, community=open_community, title="Draft guide")
    return World(
        editor=editor(),
        facilitator=facilitator,
        member=member,
        other_member=other_member,
        outsider=outsider,
        superuser=superuser,
        community=open_community,
        closed=closed,
        question=question,
        private_question=private_question,
        answer=answer,
        item=item,
        private_item=private_item,
        draft=draft,
        session=session(community=open_community, user=facilitator),
        request=request,
    )
