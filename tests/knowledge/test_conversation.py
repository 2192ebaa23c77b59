"""Comments on answers, mentions and follows reaching the notification centre and the digest,
and a project's case study proposed from its workspace with its impact report and SROI
figures linked."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from knowledge import services
from knowledge.models import AnswerComment, KnowledgeItemPage
from notifications.digest import digests_send
from notifications.models import DigestSettings
from tests.factories import UserFactory
from tests.knowledge.builders import published_item

pytestmark = pytest.mark.django_db


def _comment_url(world):
    return reverse("knowledge:answer_comment", args=[world.community.slug, world.answer.pk])


# --- Comments ------------------------------------------------------------------------------


def test_member_comments_on_an_answer_permitted(client, world):
    client.force_login(world.member)
    response = client.post(_comment_url(world), {"body": "Thanks, @k_other_member try this"})
    assert response.status_code == 302 and f"#answer-{world.answer.pk}" in response["Location"]
    comment = AnswerComment.objects.get()
    assert comment.author == world.member and comment.answer == world.answer
    # The answer's author hears of it; a member named with @ is mentioned.
    assert world.facilitator.notifications.filter(kind="knowledge.comment").exists()
    assert world.other_member.notifications.filter(kind="knowledge.mention").exists()
    page = client.get(
        reverse("knowledge:question", args=[world.community.slug, world.question.pk])
    )
    assert "Thanks, @k_other_member try this" in page.content.decode()


@pytest.mark.parametrize("role", ["outsider", "editor"])
def test_non_members_cannot_comment_denied(client, world, role):
    client.force_login(getattr(world, role))
    assert client.post(_comment_url(world), {"body": "Let me in"}).status_code == 403
    assert not AnswerComment.objects.exists()


def test_anonymous_cannot_comment_denied(client, world):
    response = client.post(_comment_url(world), {"body": "Let me in"})
    assert response.status_code == 302 and "/accounts/" in response["Location"]
    assert not AnswerComment.objects.exists()


def test_comments_on_members_only_questions_stay_private_denied(client, world):
    answer = services.answer_post(
        question=world.private_question, user=world.facilitator, body="Private answer"
    )
    client.force_login(world.outsider)
    url = reverse("knowledge:answer_comment", args=[world.community.slug, answer.pk])
    assert client.post(url, {"body": "Hello"}).status_code == 404
    assert not AnswerComment.objects.exists()


@pytest.mark.parametrize("body", ["", "   ", "x" * 2001])
def test_bad_comments_are_refused_and_store_nothing(client, world, body):
    client.force_login(world.member)
    response = client.post(_comment_url(world), {"body": body}, follow=True)
    assert response.status_code == 200
    assert not AnswerComment.objects.exists()
    with pytest.raises((ValidationError, PermissionDenied)):
        services.comment_post(answer=world.answer, user=world.member, body=body)
    assert not AnswerComment.objects.exists()


def test_question_page_queries_do_not_grow_with_comments(
    client, world, django_assert_max_num_queries
):
    url = reverse("knowledge:question", args=[world.community.slug, world.question.pk])
    client.force_login(world.member)
    for size in (3, 30):
        while AnswerComment.objects.count() < size:
            person = UserFactory()
            services.membership_join(community=world.community, user=person)
            services.comment_post(answer=world.answer, user=person, body="Same here")
        # The same bound for 3 comments and for 30, each with its author.
        with django_assert_max_num_queries(12):
            response = client.get(url)
        assert response.content.decode().count("Same here") == size


# --- Mentions and follows reach the notification centre and the digest -------------------------


def test_mentions_reach_the_notification_centre(client, world):
    services.answer_post(question=world.question, user=world.member, body="@k_facilitator look")
    client.force_login(world.facilitator)
    page = client.get(reverse("portal:notification_list")).content.decode()
    assert "mentioned you in" in page


def test_following_a_community_reaches_the_centre_and_the_digest(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    follower = UserFactory(username="k_follower", email="follower@example.org")
    client.force_login(follower)
    client.post(
        reverse("knowledge:community_follow", args=[world.community.slug]), {"follow": "1"}
    )
    DigestSettings.objects.update_or_create(
        user=follower,
        defaults={"frequency": "daily", "hour": 0, "time_zone": "UTC"},
    )
    services.question_ask(community=world.community, user=world.member, title="Who hosts us?")
    starts = timezone.now() + timedelta(days=5)
    services.session_create(
        community=world.community,
        user=world.facilitator,
        title="Winter meeting",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        location="Vic",
    )
    published_item(
        community=world.community,
        user=world.member,
        reviewer=world.facilitator,
        title="Lending laptops",
    )
    kinds = set(follower.notifications.values_list("kind", flat=True))
    assert {"knowledge.question", "knowledge.session", "knowledge.item"} <= kinds
    page = client.get(reverse("portal:notification_list")).content.decode()
    assert "Who hosts us?" in page
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(now=timezone.now() + timedelta(days=1)) >= 1
    digest = [m for m in mailoutbox if "follower@example.org" in m.to]
    assert digest
    body = digest[-1].body
    assert "New question in Digital inclusion of young people" in body
    assert "New session in Digital inclusion of young people" in body
    assert "New in Digital inclusion of young people" in body and "/lending-laptops/" in body


def test_unfollowing_stops_the_news(world):
    services.follow_set(community=world.community, user=world.other_member, follow=False)
    services.question_ask(community=world.community, user=world.member, title="Quiet now?")
    assert not world.other_member.notifications.filter(body="Quiet now?").exists()
    assert world.facilitator.notifications.filter(body="Quiet now?").exists()


# --- A project's case study from its workspace ----------------------------------------------


def test_case_study_proposed_from_the_workspace_links_the_project_and_its_impact(client, world):
    from tests.utils import approved_project

    project = approved_project(coordinator=world.member)
    client.force_login(world.member)
    workspace = client.get(reverse("portal:project_workspace", args=[project.pk]))
    propose = reverse("knowledge:item_propose", args=[world.community.slug])
    link = f"{propose}?kind=case_study&amp;project={project.pk}"
    assert link in workspace.content.decode()
    form = client.get(f"{propose}?kind=case_study&project={project.pk}").content.decode()
    assert f'value="{project.pk}" selected' in form
    response = client.post(
        propose,
        {
            "title": "What our coding clubs taught us",
            "kind": "case_study",
            "licence": "cc-by-4.0",
            "language": "en",
            "related_project": project.pk,
            "body": "Start small.",
        },
    )
    assert response.status_code == 302
    item = KnowledgeItemPage.objects.get(title="What our coding clubs taught us")
    assert item.kind == "case_study" and list(item.related_projects.all()) == [project]
    services.item_review(item=item, user=world.facilitator, approve=True)
    page = client.get(KnowledgeItemPage.objects.get(pk=item.pk).url).content.decode()
    assert reverse("impact:report", args=[project.pk]) in page
    workspace = client.get(reverse("portal:project_workspace", args=[project.pk]))
    assert "What our coding clubs taught us" in workspace.content.decode()


def test_a_case_study_shows_its_projects_published_sroi_figures(client, world):
    from impact.presentation import format_money, report_summary
    from tests.impact.helpers import build_map
    from tests.utils import approved_project

    project = approved_project(coordinator=world.member)
    item = published_item(
        community=world.community,
        user=world.member,
        reviewer=world.facilitator,
        title="Coding clubs, a case study",
        kind="case_study",
        related_projects=[project],
    )
    page = client.get(item.url).content.decode()
    assert "SROI ratio" not in page  # nothing published yet
    impact_map = build_map(project, world.member, publish=True)
    summary = report_summary(impact_map.published_report)
    page = client.get(item.url).content.decode()
    report = reverse("impact:report", args=[project.pk])
    assert f'SROI ratio: <a href="{report}">{format_money(summary["sroi_ratio"])} : 1</a>' in page
    assert format_money(summary["total_present_value"]) in page
