"""A call's own questions and weighted scoring rubric: the managers define them until the first
application arrives, applications answer the questions, reviewers score each criterion and the
managers see the applications ranked by the weighted result."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from volunteers import calls
from volunteers.models import (
    CallAnswer,
    CallApplication,
    CallCriterion,
    CallQuestion,
    CallReview,
    CriterionScore,
)


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def call(net):
    return calls.call_open(
        user=net.coordinator,
        organization=net.project.lead_organization,
        title="Social ventures 2027",
        challenge="Ideas for digital inclusion",
        deadline=timezone.localdate() + timedelta(days=30),
    )


@pytest.fixture
def questions(net, call):
    return (
        calls.question_add(user=net.coordinator, call=call, text="Who benefits?", max_length=50),
        calls.question_add(
            user=net.coordinator, call=call, text="Any partners?", required=False, max_length=20
        ),
    )


@pytest.fixture
def criteria(net, call):
    return (
        calls.criterion_add(user=net.coordinator, call=call, name="Impact", weight=3),
        calls.criterion_add(
            user=net.coordinator, call=call, name="Feasibility", weight=1, guidance="Realistic?"
        ),
    )


def _apply(call, user, answers=None):
    return calls.application_submit(
        user=user, call=call, team="Two students", proposal="A repair café", answers=answers
    )


def test_setup_page_permitted_and_denied(net, call):
    url = reverse("calls:call_form_setup", args=[call.pk])
    assert "/accounts/login/" in Client().get(url)["Location"]
    assert "/accounts/login/" in Client().post(url, {"kind": "question"})["Location"]
    application_call = calls.call_open(
        user=net.coordinator,
        organization=net.project.lead_organization,
        title="Another",
        challenge="c",
        deadline=call.deadline,
    )
    application = _apply(application_call, net.volunteer)
    calls.review_assign(user=net.coordinator, application=application, username="v_team_member")
    # reviewer, applicant, other organization's admin, outsider
    for user in (net.team_member, net.volunteer, net.other_coordinator, net.no_profile):
        client = client_for(user)
        assert client.get(url).status_code == 403
        response = client.post(url, {"kind": "question", "question-text": "Sneaky?"})
        assert response.status_code == 403
    assert not CallQuestion.objects.exists()
    client = client_for(net.coordinator)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "kind": "question",
            "question-text": "Who benefits?",
            "question-required": "on",
            "question-max_length": "500",
        },
    )
    assert response.status_code == 302
    response = client.post(
        url, {"kind": "criterion", "criterion-name": "Impact", "criterion-weight": "2"}
    )
    assert response.status_code == 302
    assert CallQuestion.objects.get(call=call).required is True
    assert CallCriterion.objects.get(call=call).weight == 2
    with pytest.raises(PermissionDenied):
        calls.criterion_add(user=net.other_coordinator, call=call, name="x", weight=1)


def test_setup_bad_input_stores_nothing(net, call):
    client = client_for(net.coordinator)
    url = reverse("calls:call_form_setup", args=[call.pk])
    for data in (
        {"kind": "criterion", "criterion-name": "Impact", "criterion-weight": "0"},
        {"kind": "criterion", "criterion-name": "", "criterion-weight": "2"},
        {"kind": "question", "question-text": "", "question-max_length": "100"},
        {"kind": "question", "question-text": "Q", "question-max_length": "999999"},
        {"kind": "nonsense"},
        {"kind": "question", "remove": "not-a-number"},
    ):
        assert client.post(url, data).status_code == 400
    assert not CallQuestion.objects.exists() and not CallCriterion.objects.exists()
    with pytest.raises(ValidationError):
        calls.criterion_add(user=net.coordinator, call=call, name="Impact", weight=0)


def test_form_cannot_change_once_an_application_arrives(net, call, questions, criteria):
    client = client_for(net.coordinator)
    url = reverse("calls:call_form_setup", args=[call.pk])
    assert client.post(url, {"kind": "question", "remove": questions[1].pk}).status_code == 302
    assert CallQuestion.objects.count() == 1
    _apply(call, net.volunteer, {questions[0].pk: "Older people"})
    with pytest.raises(ValidationError, match="cannot change"):
        calls.question_add(user=net.coordinator, call=call, text="Late?")
    with pytest.raises(ValidationError, match="cannot change"):
        calls.criterion_add(user=net.coordinator, call=call, name="Late", weight=1)
    response = client.post(
        url, {"kind": "criterion", "criterion-name": "Late", "criterion-weight": "1"}
    )
    assert response.status_code == 400
    assert "cannot change once an application arrives" in response.content.decode()
    response = client.post(url, {"kind": "criterion", "remove": criteria[0].pk})
    assert response.status_code == 400
    assert (CallQuestion.objects.count(), CallCriterion.objects.count()) == (1, 2)
    assert "cannot change" in client.get(url).content.decode()


def test_applications_answer_the_questions(net, call, questions):
    who, partners = questions
    url = reverse("calls:call_apply", args=[call.pk])
    client = client_for(net.volunteer)
    page = client.get(reverse("calls:call_detail", args=[call.pk])).content.decode()
    assert "Who benefits?" in page and "Any partners?" in page
    response = client.post(url, {"team": "Us", "proposal": "P"})
    assert response.status_code == 400
    assert "Answer the question “Who benefits?”" in response.content.decode()
    response = client.post(url, {"team": "Us", "proposal": "P", f"answer_{who.pk}": "x" * 51})
    assert response.status_code == 400
    assert not CallApplication.objects.exists() and not CallAnswer.objects.exists()
    with pytest.raises(ValidationError, match="Who benefits"):
        _apply(call, net.volunteer, {partners.pk: "The library"})
    with pytest.raises(ValidationError, match="longer than 20"):
        _apply(call, net.volunteer, {who.pk: "Elders", partners.pk: "y" * 21})
    assert not CallApplication.objects.exists() and not CallAnswer.objects.exists()
    response = client.post(
        url, {"team": "Us", "proposal": "P", f"answer_{who.pk}": "Older neighbours"}
    )
    assert response.status_code == 302
    application = CallApplication.objects.get()
    assert [a.text for a in application.answers.all()] == ["Older neighbours"]
    # The applicant sees their answers; another member sees only the form.
    own = client.get(reverse("calls:call_detail", args=[call.pk])).content.decode()
    assert "Older neighbours" in own and "Your application" in own
    other = client_for(net.no_profile).get(reverse("calls:call_detail", args=[call.pk]))
    assert "Older neighbours" not in other.content.decode()
    # The assigned reviewer and the managers see them.
    review = calls.review_assign(
        user=net.coordinator, application=application, username="v_team_member"
    )
    review_page = client_for(net.team_member).get(reverse("calls:review_submit", args=[review.pk]))
    assert "Older neighbours" in review_page.content.decode()
    managers = client_for(net.coordinator).get(reverse("calls:call_applications", args=[call.pk]))
    assert "Older neighbours" in managers.content.decode()
    # And the export carries them.
    export = json.loads(client.get(reverse("privacy:export")).content)
    assert export["volunteers"]["call_applications"][0]["answers"] == [
        {"question": "Who benefits?", "answer": "Older neighbours"}
    ]


def test_rubric_reviews_and_weighted_ranking(net, call, criteria):
    impact, feasibility = criteria
    first = _apply(call, net.volunteer)
    second = _apply(call, net.no_profile)
    reviewer = UserFactory(username="reviewer")
    one = calls.review_assign(user=net.coordinator, application=first, username="reviewer")
    two = calls.review_assign(user=net.coordinator, application=first, username="v_team_member")
    three = calls.review_assign(user=net.coordinator, application=second, username="reviewer")
    client = client_for(reviewer)
    url = reverse("calls:review_submit", args=[one.pk])
    page = client.get(url).content.decode()
    assert "Impact" in page and "Realistic?" in page
    # A missing or out-of-range criterion is refused, nothing stored.
    response = client.post(url, {f"criterion_{impact.pk}": "4"})
    assert response.status_code == 200
    assert "Score “Feasibility” from 1 to 5." in response.content.decode()
    response = client.post(
        url, {f"criterion_{impact.pk}": "6", f"criterion_{feasibility.pk}": "2"}
    )
    assert response.status_code == 200
    assert not CriterionScore.objects.exists()
    with pytest.raises(ValidationError, match="Feasibility"):
        calls.review_submit(user=reviewer, review=one, criterion_scores={impact.pk: 4})
    one.refresh_from_db()
    assert one.submitted_at is None
    # first: (5*3 + 1*1)/4 = 4.0 and (3*3 + 3*1)/4 = 3.0 → 3.5; second: (2*3 + 5)/4 = 2.75
    response = client.post(
        url, {f"criterion_{impact.pk}": "5", f"criterion_{feasibility.pk}": "1", "comment": "!"}
    )
    assert response.status_code == 302
    calls.review_submit(
        user=net.team_member, review=two, criterion_scores={impact.pk: 3, feasibility.pk: 3}
    )
    calls.review_submit(
        user=reviewer, review=three, criterion_scores={impact.pk: 2, feasibility.pk: 5}
    )
    ranked = list(calls.applications_of_call(call))
    assert [a.pk for a in ranked] == [first.pk, second.pk]
    assert [round(a.average, 2) for a in ranked] == [3.5, 2.75]
    _criteria, averages = calls.criterion_averages(call)
    assert [(c.name, v) for c, v in averages[first.pk]] == [("Impact", 4.0), ("Feasibility", 2.0)]
    page = client_for(net.coordinator).get(reverse("calls:call_applications", args=[call.pk]))
    html = page.content.decode()
    assert "weighted result 3.50" in html and "weighted result 2.75" in html

    def name(user):
        return user.get_full_name() or user.username

    assert html.index(name(net.volunteer)) < html.index(name(net.no_profile))
    # The reviewer's export holds their criterion scores.
    export = json.loads(client.get(reverse("privacy:export")).content)
    scores = export["volunteers"]["call_reviews"]
    assert {"criterion": "Impact", "score": 5} in scores[0]["criterion_scores"]


def test_a_call_without_criteria_keeps_the_single_score(net, call):
    first = _apply(call, net.volunteer)
    second = _apply(call, net.no_profile)
    low = calls.review_assign(user=net.coordinator, application=first, username="v_team_member")
    high = calls.review_assign(user=net.coordinator, application=second, username="v_team_member")
    calls.review_submit(user=net.team_member, review=low, score=2)
    calls.review_submit(user=net.team_member, review=high, score=5)
    assert [a.pk for a in calls.applications_of_call(call)] == [second.pk, first.pk]
    with pytest.raises(ValidationError):
        calls.review_submit(user=net.team_member, review=low, score=None)


@pytest.mark.parametrize("count", [3, 30])
def test_ranked_list_queries_are_constant(
    net, call, criteria, count, django_assert_max_num_queries
):
    impact, feasibility = criteria
    for index in range(count):
        person = UserFactory(username=f"applicant_{index}")
        application = CallApplication.objects.create(
            call=call, applicant=person, team="t", proposal="p"
        )
        CallAnswer.objects.create(
            application=application,
            question=CallQuestion.objects.get_or_create(call=call, text="Q")[0],
            text="A",
        )
        review = CallReview.objects.create(
            application=application, reviewer=net.team_member, submitted_at=timezone.now()
        )
        CriterionScore.objects.create(review=review, criterion=impact, score=1 + index % 5)
        CriterionScore.objects.create(review=review, criterion=feasibility, score=3)
    client = client_for(net.coordinator)
    url = reverse("calls:call_applications", args=[call.pk])
    with django_assert_max_num_queries(16):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("weighted result") == count


def _order(model, call):
    return list(model.objects.filter(call=call).values_list("pk", flat=True))


def test_questions_and_criteria_are_edited(net, call, questions, criteria):
    who, _partners = questions
    impact, _feasibility = criteria
    client = client_for(net.coordinator)
    url = reverse("calls:call_form_setup", args=[call.pk])
    page = client.get(url).content.decode()
    assert f'name="question-{who.pk}-text"' in page and "Edit “Who benefits?”" in page
    response = client.post(
        url,
        {
            "kind": "question",
            "edit": who.pk,
            f"question-{who.pk}-text": "Who benefits, and how?",
            f"question-{who.pk}-max_length": "800",
        },
    )
    assert response.status_code == 302
    who.refresh_from_db()
    assert (who.text, who.required, who.max_length) == ("Who benefits, and how?", False, 800)
    response = client.post(
        url,
        {
            "kind": "criterion",
            "edit": impact.pk,
            f"criterion-{impact.pk}-name": "Social impact",
            f"criterion-{impact.pk}-weight": "5",
            f"criterion-{impact.pk}-guidance": "Who gains what",
        },
    )
    assert response.status_code == 302
    impact.refresh_from_db()
    assert (impact.name, impact.weight, impact.guidance) == ("Social impact", 5, "Who gains what")


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (
            {"kind": "criterion", "criterion-{c}-name": "Impact", "criterion-{c}-weight": "0"},
            "weight",
        ),
        (
            {"kind": "criterion", "criterion-{c}-name": "", "criterion-{c}-weight": "2"},
            "criterion",
        ),
        (
            {"kind": "question", "question-{q}-text": "", "question-{q}-max_length": "100"},
            "question",
        ),
        (
            {"kind": "question", "question-{q}-text": "Q", "question-{q}-max_length": "999999"},
            "longest answer",
        ),
        (
            {
                "kind": "question",
                "question-999999-text": "Q",
                "question-999999-max_length": "10",
                "edit": "999999",
            },
            "not on this call",
        ),
        ({"kind": "criterion", "criterion-{c}-name": "C", "edit": "x"}, "Choose a question"),
    ],
)
def test_bad_edits_are_refused_naming_the_problem(net, call, questions, criteria, data, problem):
    q, c = questions[0].pk, criteria[0].pk
    data = {key.format(q=q, c=c): value for key, value in data.items()}
    data.setdefault("edit", q if data["kind"] == "question" else c)
    before = (
        list(CallQuestion.objects.values_list("text", "required", "max_length", "position")),
        list(CallCriterion.objects.values_list("name", "weight", "guidance", "position")),
    )
    response = client_for(net.coordinator).post(
        reverse("calls:call_form_setup", args=[call.pk]), data
    )
    assert response.status_code == 400
    assert problem.lower() in response.content.decode().lower()
    after = (
        list(CallQuestion.objects.values_list("text", "required", "max_length", "position")),
        list(CallCriterion.objects.values_list("name", "weight", "guidance", "position")),
    )
    assert after == before


def test_questions_and_criteria_are_reordered_without_javascript(net, call, questions, criteria):
    who, partners = questions
    third = calls.question_add(user=net.coordinator, call=call, text="Budget?")
    impact, feasibility = criteria
    client = client_for(net.coordinator)
    url = reverse("calls:call_form_setup", args=[call.pk])
    page = client.get(url).content.decode()
    assert f'name="down" value="{who.pk}"' in page and f'name="up" value="{who.pk}"' not in page
    assert client.post(url, {"kind": "question", "up": third.pk}).status_code == 302
    assert _order(CallQuestion, call) == [who.pk, third.pk, partners.pk]
    assert client.post(url, {"kind": "question", "down": who.pk}).status_code == 302
    assert _order(CallQuestion, call) == [third.pk, who.pk, partners.pk]
    # Already first: nothing moves.
    assert client.post(url, {"kind": "question", "up": third.pk}).status_code == 302
    assert _order(CallQuestion, call) == [third.pk, who.pk, partners.pk]
    assert client.post(url, {"kind": "criterion", "down": impact.pk}).status_code == 302
    assert _order(CallCriterion, call) == [feasibility.pk, impact.pk]
    # The application form asks in the new order.
    form = client_for(net.volunteer).get(reverse("calls:call_detail", args=[call.pk]))
    html = form.content.decode()
    assert html.index("Budget?") < html.index("Who benefits?") < html.index("Any partners?")
    # Another call's question cannot be moved from here.
    other = calls.call_open(
        user=net.coordinator,
        organization=net.project.lead_organization,
        title="Other",
        challenge="c",
        deadline=call.deadline,
    )
    stranger = calls.question_add(user=net.coordinator, call=other, text="Elsewhere?")
    response = client.post(url, {"kind": "question", "up": stranger.pk})
    assert response.status_code == 400
    assert _order(CallQuestion, call) == [third.pk, who.pk, partners.pk]
    with pytest.raises(ValidationError):
        calls.form_item_move(
            user=net.coordinator, call=call, kind="question", item_id=who.pk, direction="left"
        )


def test_edit_and_move_denied_to_others_and_refused_once_an_application_arrives(
    net, call, questions, criteria
):
    who, partners = questions
    url = reverse("calls:call_form_setup", args=[call.pk])
    edit = {
        "kind": "question",
        "edit": who.pk,
        f"question-{who.pk}-text": "Hijacked",
        f"question-{who.pk}-max_length": "10",
    }
    move = {"kind": "question", "down": who.pk}
    assert "/accounts/login/" in Client().post(url, edit)["Location"]
    for user in (net.team_member, net.volunteer, net.other_coordinator, net.no_profile):
        assert client_for(user).post(url, edit).status_code == 403
        assert client_for(user).post(url, move).status_code == 403
    with pytest.raises(PermissionDenied):
        calls.question_edit(
            user=net.other_coordinator, call=call, question_id=who.pk, text="x", max_length=5
        )
    with pytest.raises(PermissionDenied):
        calls.form_item_move(
            user=net.volunteer, call=call, kind="criterion", item_id=criteria[0].pk, direction="up"
        )
    _apply(call, net.volunteer, {who.pk: "Older people"})
    client = client_for(net.coordinator)
    for data in (
        edit,
        move,
        {
            "kind": "criterion",
            "edit": criteria[0].pk,
            f"criterion-{criteria[0].pk}-name": "Late",
            f"criterion-{criteria[0].pk}-weight": "9",
        },
        {"kind": "criterion", "up": criteria[1].pk},
    ):
        response = client.post(url, data)
        assert response.status_code == 400
        assert "cannot change once an application arrives" in response.content.decode()
    with pytest.raises(ValidationError, match="cannot change"):
        calls.criterion_edit(
            user=net.coordinator, call=call, criterion_id=criteria[0].pk, name="L", weight=2
        )
    assert _order(CallQuestion, call) == [who.pk, partners.pk]
    who.refresh_from_db()
    criteria[0].refresh_from_db()
    assert (who.text, criteria[0].name, criteria[0].weight) == ("Who benefits?", "Impact", 3)
    page = client.get(url).content.decode()
    assert 'name="edit"' not in page and 'name="up"' not in page
