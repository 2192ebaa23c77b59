"""Training pages under /portal/training/, in the ``portal`` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("training/", views.training_index, name="training_index"),
    path(
        "training/projects/<int:project_id>/new/",
        views.programme_new,
        name="training_programme_new",
    ),
    path("training/<int:programme_id>/", views.programme, name="training_programme"),
    path("training/<int:programme_id>/partners/", views.partner_set, name="training_partner_set"),
    path("training/<int:programme_id>/staff/", views.staff_set, name="training_staff_set"),
    path("training/<int:programme_id>/cohorts/new/", views.cohort_new, name="training_cohort_new"),
    path(
        "training/<int:programme_id>/learners/new/", views.learner_new, name="training_learner_new"
    ),
    path("training/<int:programme_id>/export.csv", views.programme_export, name="training_export"),
    path("training/<int:programme_id>/mentees/", views.mentees, name="training_mentees"),
    path("training/cohorts/<int:cohort_id>/", views.cohort, name="training_cohort"),
    path(
        "training/cohorts/<int:cohort_id>/outcomes/accept/",
        views.cohort_outcomes_accept,
        name="training_outcomes_accept",
    ),
    path(
        "training/cohorts/<int:cohort_id>/sessions/new/",
        views.session_new,
        name="training_session_new",
    ),
    path("training/sessions/<int:session_id>/", views.session, name="training_session"),
    path(
        "training/sessions/<int:session_id>/edit/",
        views.session_edit,
        name="training_session_edit",
    ),
    path(
        "training/sessions/<int:session_id>/attendance/",
        views.attendance,
        name="training_attendance",
    ),
    path("training/learners/<int:learner_id>/", views.learner, name="training_learner"),
    path(
        "training/learners/<int:learner_id>/edit/",
        views.learner_edit,
        name="training_learner_edit",
    ),
    path(
        "training/learners/<int:learner_id>/refer/",
        views.learner_refer,
        name="training_learner_refer",
    ),
    path(
        "training/learners/<int:learner_id>/mentor/",
        views.learner_mentor,
        name="training_learner_mentor",
    ),
    path(
        "training/learners/<int:learner_id>/mentors/",
        views.mentor_match,
        name="training_mentor_match",
    ),
    path(
        "training/learners/<int:learner_id>/erase/",
        views.learner_erase,
        name="training_learner_erase",
    ),
    path(
        "training/enrolments/<int:enrolment_id>/status/",
        views.enrolment_status,
        name="training_enrolment_status",
    ),
    path(
        "training/enrolments/<int:enrolment_id>/certificate/",
        views.certificate_issue,
        name="training_certificate_issue",
    ),
    path(
        "training/enrolments/<int:enrolment_id>/skills/",
        views.skill_level,
        name="training_skill_level",
    ),
    path(
        "training/enrolments/<int:enrolment_id>/follow-up/",
        views.follow_up,
        name="training_follow_up",
    ),
    path(
        "training/certificates/<int:certificate_id>/",
        views.certificate,
        name="training_certificate",
    ),
    path(
        "training/mentorships/<int:mentorship_id>/",
        views.mentorship,
        name="training_mentorship",
    ),
    path(
        "training/mentorships/<int:mentorship_id>/goals/",
        views.goal_add,
        name="training_goal_add",
    ),
    path(
        "training/mentorships/<int:mentorship_id>/checkins/",
        views.checkin_add,
        name="training_checkin_add",
    ),
    path(
        "training/checkins/<int:checkin_id>/edit/",
        views.checkin_edit,
        name="training_checkin_edit",
    ),
    path(
        "training/checkins/<int:checkin_id>/delete/",
        views.checkin_delete,
        name="training_checkin_delete",
    ),
    path("training/goals/<int:goal_id>/done/", views.goal_done, name="training_goal_done"),
]
