"""Forms of the workspace: they parse input; the services decide and store."""

from zoneinfo import ZoneInfo, available_timezones

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.uploads import SafeImageField

from .files import TYPES
from .models import Attendance, Folder, Milestone, Task

ACCEPT = ",".join(f".{extension}" for extension in sorted(TYPES))


class DocumentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"), widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    folder = forms.ModelChoiceField(
        label=_("Folder"), queryset=Folder.objects.none(), required=False
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["folder"].queryset = Folder.objects.filter(project=project)


class VersionForm(forms.Form):
    file = forms.FileField(
        label=_("New version"), widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )


class FolderForm(forms.Form):
    name = forms.CharField(label=_("Folder name"), max_length=120)


class TeamChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.username


class TaskForm(forms.ModelForm):
    assignees = TeamChoiceField(
        label=_("Assignees"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Only people on the project's team can be given a task."),
            "invalid_pk_value": _("Only people on the project's team can be given a task."),
        },
    )

    class Meta:
        model = Task
        fields = ["title", "description", "assignees", "due_on", "status", "milestone"]
        widgets = {
            "due_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, project, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignees"].queryset = team
        self.fields["milestone"].queryset = Milestone.objects.filter(project=project)


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_on"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"})}


class TaskStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Task.Status.choices)


class TaskFilterForm(forms.Form):
    assignee = forms.TypedChoiceField(label=_("Assignee"), required=False, coerce=int)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *Task.Status.choices]
    )

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("Anyone"))] + [
            (user.pk, user.get_full_name() or user.username) for user in team
        ]


def _time_zones():
    return [(zone, zone) for zone in sorted(available_timezones())]


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Ends at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=_time_zones)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    agenda = forms.CharField(label=_("Agenda"), required=False, widget=forms.Textarea)

    def clean(self):
        """The times are read in the meeting's own time zone, whatever the viewer's."""
        data = super().clean()
        zone = data.get("time_zone")
        if zone:
            for name in ("starts_at", "ends_at"):
                if value := data.get(name):
                    data[name] = value.replace(tzinfo=None).replace(tzinfo=ZoneInfo(zone))
        return data


class AttendanceForm(forms.Form):
    answer = forms.ChoiceField(choices=Attendance.Answer.choices)


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea)
    minutes_document = forms.ModelChoiceField(
        label=_("Minutes document"), queryset=None, required=False
    )

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["minutes_document"].queryset = documents


class UpdateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    image = SafeImageField(label=_("Image"), required=False)

    def __init__(self, *args, languages, **kwargs):
        """``languages``: the project's, as ``(code, name)``; the news is in one of them."""
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = languages
        self.fields["language"].help_text = _("One of the languages of the project's page.")
