"""The vocabularies of an organization's capability profile: what services it gives, to whom,
in which languages, how large it is and which quality labels it holds.

Fixed lists (not free tags) so that the directory filters on them and two organizations that
say the same thing are found together. Territories served are ``taxonomy.Region`` rows.
"""

from django.utils.translation import gettext_lazy as _

SERVICES = (
    ("training", _("Training and education")),
    ("employment", _("Employment and job placement")),
    ("housing", _("Housing support")),
    ("care", _("Care and home support")),
    ("health", _("Health and mental health")),
    ("counselling", _("Counselling and social support")),
    ("legal", _("Legal advice")),
    ("food", _("Food aid")),
    ("digital", _("Digital skills and technology")),
    ("culture", _("Culture, leisure and sport")),
    ("research", _("Research and evaluation")),
    ("advocacy", _("Advocacy and awareness")),
    ("volunteering", _("Volunteer management")),
    ("funding", _("Funding and fundraising")),
)

TARGET_GROUPS = (
    ("children", _("Children")),
    ("youth", _("Young people")),
    ("older", _("Older people")),
    ("disability", _("People with disabilities")),
    ("mental_health", _("People with mental health problems")),
    ("migrants", _("Migrants and refugees")),
    ("women", _("Women")),
    ("homeless", _("People experiencing homelessness")),
    ("unemployed", _("Unemployed people")),
    ("families", _("Families")),
    ("prison", _("People in or leaving prison")),
    ("general", _("General public")),
)

LANGUAGES = (
    ("ca", _("Catalan")),
    ("es", _("Spanish")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ar", _("Arabic")),
    ("ber", _("Amazigh")),
    ("ro", _("Romanian")),
    ("ur", _("Urdu")),
    ("zh", _("Chinese")),
    ("sign", _("Sign language")),
)

QUALITY_LABELS = (
    ("iso9001", _("ISO 9001")),
    ("iso14001", _("ISO 14001")),
    ("efqm", _("EFQM")),
    ("lealtad", _("Fundación Lealtad accreditation")),
    ("bcorp", _("B Corp")),
    ("ecas", _("ECAS quality mark")),
    ("social_economy", _("Social economy mark (Mercat Social)")),
    ("other", _("Other recognised label")),
)

SIZE_BANDS = (
    ("0", _("None")),
    ("1-9", _("1 to 9")),
    ("10-49", _("10 to 49")),
    ("50-249", _("50 to 249")),
    ("250+", _("250 or more")),
)

# facet name (the directory's GET parameter and the row's ``facet``) → its choices
FACETS = {
    "service": SERVICES,
    "target_group": TARGET_GROUPS,
    "language": LANGUAGES,
    "quality_label": QUALITY_LABELS,
}

FACET_LABELS = {
    "service": _("Services"),
    "target_group": _("Target groups"),
    "language": _("Languages"),
    "quality_label": _("Quality labels"),
}
