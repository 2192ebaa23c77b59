"""Demo accounts every installation's demo gets (see README): password ``cluster-demo``; and
the editors' content: the home page's hero and body, "About" and "How to join" pages.

Featured projects and promoted search results need projects, so ``sitesearch.demo`` (which
runs after ``projects.demo``) chooses them. Sectors, regions and tags come from
``partners.demo``.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core.demo import DEMO_PASSWORD

from .permissions import EDITORS_GROUP, editors_group_sync

DEMO_ACCOUNTS = [
    # username, first name, last name, superuser
    ("admin", "Anna", "Admin", True),
    ("editor", "Eduard", "Serra", False),
    ("coordinator", "Clara", "Vidal", False),
    ("member", "Marta", "Puig", False),
    ("outsider", "Oriol", "Ferrer", False),
]


def _verified_user(username, first, last, superuser):
    from allauth.account.models import EmailAddress

    User = get_user_model()
    email = f"{username}@demo.cluster.test"
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "email": email,
            "first_name": first,
            "last_name": last,
            "is_superuser": superuser,
            "is_staff": superuser,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


ABOUT_BODY = [
    ("heading", {"text": "A cluster of the third sector", "level": "h2"}),
    (
        "paragraph",
        "<p>The Social Cluster brings together NGOs, foundations, cooperatives, companies, "
        "universities and public bodies to run innovative social projects: they share "
        "people, rooms, equipment and know-how, and they measure the social return of what "
        "they do together.</p>",
    ),
    (
        "quote",
        {
            "text": "No single organization could have reached these families on its own.",
            "attribution": "A project coordinator",
        },
    ),
    (
        "key_figures",
        {
            "heading": "Fifteen ideas, one cluster",
            "figures": [
                {"value": "15", "label": "ideas for social transformation"},
                {"value": "3", "label": "languages: Catalan, Spanish, English"},
                {"value": "100%", "label": "open impact reports"},
            ],
        },
    ),
]

HOW_TO_JOIN_BODY = [
    ("heading", {"text": "Three steps", "level": "h2"}),
    (
        "paragraph",
        "<ol><li>Create an account and confirm your e-mail address.</li>"
        "<li>Register your organization: an editor reviews it within a few days.</li>"
        "<li>Invite your colleagues, then propose a project or ask to join one.</li></ol>",
    ),
    (
        "call_to_action",
        {
            "title": "Ready?",
            "text": "Registration is free for non-profit organizations.",
            "button_label": "Create an account",
            "page": None,
            "url": "/accounts/signup/",
        },
    ),
]


def _standard_page(home, slug, title, intro, body):
    from .models import StandardPage

    page = StandardPage.objects.child_of(home).filter(slug=slug).first()
    if page is None:
        page = home.add_child(
            instance=StandardPage(title=title, slug=slug, intro=intro, body=body)
        )
        page.save_revision().publish()
    return page


def _home_content(ctx):
    from wagtail.models import Locale

    from .models import HomePage

    home = HomePage.objects.filter(locale=Locale.get_default()).first()
    if home is None:
        return
    about = _standard_page(
        home, "about", "About the cluster", "Who we are and how we work.", ABOUT_BODY
    )
    join = _standard_page(
        home,
        "how-to-join",
        "How to join",
        "Register your organization and start working with partners.",
        HOW_TO_JOIN_BODY,
    )
    home = home.get_latest_revision_as_object()
    if not home.hero_heading:
        home.hero_heading = "Together for social innovation"
        home.intro = (
            "<p>NGOs, foundations, cooperatives, companies, universities and public bodies "
            "running innovative social projects together.</p>"
        )
        home.hero_cta_label = "How to join"
        home.hero_cta_page = join
        home.body = [
            (
                "call_to_action",
                {
                    "title": "New here?",
                    "text": "Read who we are and how the cluster works.",
                    "button_label": "About the cluster",
                    "page": about,
                    "url": "",
                },
            )
        ]
        home.save_revision().publish()
    ctx.log("home page and standard pages: about, how-to-join")
    _home_translations(ctx, HomePage.objects.get(pk=home.pk))


# The home page's own texts in the other content languages (editors would translate them in
# the admin with "Translate"; the interface around them is already translated).
HOME_TRANSLATIONS = {
    "es": {
        "title": "Clúster Social",
        "hero_heading": "Juntos por la innovación social",
        "intro": (
            "<p>ONG, fundaciones, cooperativas, empresas, universidades y organismos públicos "
            "que impulsan juntos proyectos sociales innovadores.</p>"
        ),
        "hero_cta_label": "Cómo participar",
    },
    "ca": {
        "title": "Clúster Social",
        "hero_heading": "Junts per la innovació social",
        "intro": (
            "<p>ONG, fundacions, cooperatives, empreses, universitats i organismes públics "
            "que impulsen junts projectes socials innovadors.</p>"
        ),
        "hero_cta_label": "Com participar-hi",
    },
}


def _home_translations(ctx, home):
    """Locales for every content language, and the home page translated into es and ca."""
    from django.conf import settings
    from wagtail.models import Locale

    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)
    for code, texts in HOME_TRANSLATIONS.items():
        locale = Locale.objects.get(language_code=code)
        if home.get_translation_or_none(locale) is not None:
            continue
        translated = home.copy_for_translation(locale)
        for field, value in texts.items():
            setattr(translated, field, value)
        translated.body = []
        translated.save_revision().publish()
    ctx.log("locales: " + ", ".join(sorted(HOME_TRANSLATIONS)) + " (home page translated)")


def seed(ctx):
    """Create the demo accounts; put ``editor`` in the editors' group; the home content."""
    for username, first, last, superuser in DEMO_ACCOUNTS:
        ctx.users[username] = _verified_user(username, first, last, superuser)
    moderators = editors_group_sync() or Group.objects.get_or_create(name=EDITORS_GROUP)[0]
    editor = ctx.users["editor"]
    editor.groups.add(moderators)
    ctx.log("accounts: " + ", ".join(ctx.users))
    _home_content(ctx)
