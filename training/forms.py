"""Forms of the training programmes: they parse and validate input; the services decide."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import PartnerPage
from projects.models import Participation, TeamMembership

from . import session_links
from .models import (
    Cohort,
    Enrolment,
    FollowUp,
    Learner,
    Programme,
    ProgrammePartner,
    SkillLevel,
    StaffMember,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["title", "summary", "completion_threshold", "absence_alert"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}


class PartnerForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=PartnerPage.objects)
    role = forms.ChoiceField(label=_("Role"), choices=ProgrammePartner.Role.choices)
    contribution = forms.CharField(label=_("Contribution"), max_length=200, required=False)

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = PartnerPage.objects.filter(
            participations__project=programme.project,
            participations__status=Participation.Status.ACTIVE,
        ).order_by("title")


class StaffForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Team member"), queryset=TeamMembership.objects)
    role = forms.ChoiceField(label=_("Role"), choices=StaffMember.Role.choices)

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = TeamMembership.objects.filter(
            project=programme.project
        ).select_related("user")
        self.fields["person"].label_from_instance = lambda row: (
            row.user.get_full_name() or row.user.get_username()
        )


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["name", "starts_on", "ends_on", "capacity", "language", "place"]
        widgets = {"starts_on": DATE, "ends_on": DATE}


class SessionForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=15, max_value=600, initial=120
    )
    topic = forms.CharField(label=_("Topic"), max_length=200)
    room = forms.CharField(label=_("Room"), max_length=120, required=False)
    book_room = forms.ChoiceField(
        label=_("Book a room"),
        required=False,
        help_text=_(
            "Booked in Shared resources for the session's time. Choosing another room or "
            "time cancels the old booking; leave it empty to cancel it."
        ),
    )
    room_booking = forms.ChoiceField(
        label=_("Or a room already booked for the project"),
        required=False,
        help_text=_("Bookings made for the project in Shared resources show here."),
    )
    trainer = forms.ModelChoiceField(
        label=_("Trainer"), queryset=StaffMember.objects, required=False
    )
    materials = forms.MultipleChoiceField(
        label=_("Materials"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("From the project's documents or the knowledge base."),
    )

    def __init__(self, *args, programme, user, **kwargs):
        super().__init__(*args, **kwargs)
        rooms = session_links.room_bookings(programme.project)
        self.fields["room_booking"].choices = [("", "—")] + [
            (key, session_links.room_label(row)) for key, row in rooms.items()
        ]
        self.fields["book_room"].choices = [("", "—")] + [
            (key, row["label"])
            for key, row in session_links.bookable_rooms(user, programme.project).items()
        ]
        self.fields["materials"].choices = [
            (key, f"{row['title']} ({row['source']})" if row.get("source") else row["title"])
            for key, row in session_links.materials(programme.project).items()
        ]
        self.fields["trainer"].queryset = programme.staff.select_related("user")
        self.fields["trainer"].label_from_instance = lambda s: (
            s.user.get_full_name() or s.user.get_username()
        )


class LearnerForm(forms.ModelForm):
    cohort = forms.ModelChoiceField(
        label=_("Refer to cohort"), queryset=Cohort.objects.none(), required=False
    )

    class Meta:
        model = Learner
        fields = [
            "alias",
            "birth_year",
            "guardian_consent",
            "eligibility",
            "legal_basis",
            "referral",
            "interests",
            "languages",
            "availability",
            "sectors",
        ]
        widgets = {"sectors": forms.CheckboxSelectMultiple}

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = programme.cohorts.all()


class ReferForm(forms.Form):
    cohort = forms.ModelChoiceField(label=_("Cohort"), queryset=Cohort.objects.none())

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = programme.cohorts.all()


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Enrolment.Status.choices)
    drop_reason = forms.CharField(
        label=_("Reason for dropping out"), max_length=200, required=False
    )


class MentorForm(forms.Form):
    mentor = forms.ModelChoiceField(label=_("Mentor"), queryset=StaffMember.objects)

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = programme.staff.select_related("user")
        self.fields["mentor"].label_from_instance = lambda s: (
            s.user.get_full_name() or s.user.get_username()
        )


class NetworkMentorForm(forms.Form):
    """A volunteer of the network as mentor: any account here; the service accepts only a
    volunteer open to mentoring."""

    volunteer = forms.ModelChoiceField(
        label=_("Volunteer"),
        queryset=get_user_model().objects.filter(is_active=True),
        error_messages={"invalid_choice": _("Choose a volunteer open to mentoring.")},
    )


class GoalForm(forms.Form):
    title = forms.CharField(label=_("Goal"), max_length=200)


class CheckInForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=5, max_value=480)
    note = forms.CharField(
        label=_("Note"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SkillForm(forms.Form):
    area = forms.ChoiceField(label=_("DigComp area"), choices=SkillLevel.Area.choices)
    before = forms.IntegerField(label=_("Level before (1–8)"), min_value=1, max_value=8)
    after = forms.IntegerField(
        label=_("Level after (1–8)"), min_value=1, max_value=8, required=False
    )


class FollowUpForm(forms.Form):
    months = forms.TypedChoiceField(label=_("After"), choices=FollowUp.MONTHS, coerce=int)
    situation = forms.ChoiceField(label=_("Situation"), choices=FollowUp.Situation.choices)
    evidence = forms.CharField(label=_("Evidence"), max_length=200, required=False)


class LearnerEditForm(forms.ModelForm):
    """A learner's details as the coordinators correct them; the code never changes."""

    class Meta:
        model = Learner
        fields = LearnerForm.Meta.fields
        widgets = LearnerForm.Meta.widgets


class SessionEditForm(SessionForm):
    """A session as it is, to change: its room booking and materials stay offered even when
    the shared resources or the documents no longer offer them."""

    def __init__(self, *args, session, user, **kwargs):
        programme = session.cohort.programme
        current = list(session.materials.all())
        kwargs.setdefault(
            "initial",
            {
                "starts_at": timezone.localtime(session.starts_at),
                "duration_minutes": session.duration_minutes,
                "topic": session.topic,
                "room": session.room,
                # The session's own booking shows as the room it booked, not as a link.
                "room_booking": "" if session.booked_room else session.room_booking,
                "book_room": session.booked_room,
                "trainer": programme.staff.filter(user_id=session.trainer_id).first(),
                "materials": [row.key for row in current],
            },
        )
        super().__init__(*args, programme=programme, user=user, **kwargs)
        rooms = list(self.fields["room_booking"].choices)
        if session.booked_room:
            self.fields["room_booking"].choices = [
                (key, label) for key, label in rooms if key != session.room_booking
            ]
            booked = list(self.fields["book_room"].choices)
            if session.booked_room not in dict(booked):
                booked.append((session.booked_room, session.room or session.booked_room))
                self.fields["book_room"].choices = booked
        elif session.room_booking and session.room_booking not in dict(rooms):
            rooms.append((session.room_booking, session.room or session.room_booking))
            self.fields["room_booking"].choices = rooms
        offered = list(self.fields["materials"].choices)
        keys = {key for key, _label in offered}
        self.fields["materials"].choices = [
            (row.key, f"{row.title} ({row.source})" if row.source else row.title)
            for row in current
            if row.key not in keys
        ] + offered
