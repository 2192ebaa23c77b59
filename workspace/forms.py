"""Forms of the workspace: they parse input; the services decide and store."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .files import TYPES
from .models import Folder

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
