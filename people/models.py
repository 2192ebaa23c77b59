from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Profile(models.Model):
    """What a person tells the cluster about themselves beyond their account's name.

    The name itself stays on the user row (``first_name``, ``last_name``), where every page
    already reads it. A profile exists once the person first saves it; until then pages show
    the account alone.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="profile",
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    skills = models.CharField(_("skills"), max_length=500, blank=True)
    bio = models.TextField(_("short bio"), max_length=1000, blank=True)
    shown = models.BooleanField(
        _("show my profile card to people signed in to the portal"), default=False
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return f"Profile of {self.user}"

    def skill_list(self):
        return [s.strip() for s in self.skills.split(",") if s.strip()]

    def language_list(self):
        return [s.strip() for s in self.languages.split(",") if s.strip()]
