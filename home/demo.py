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
    _standard_page_translations(ctx, HomePage.objects.get(pk=home.pk))
    _directory_translations(ctx, HomePage.objects.get(pk=home.pk))


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


# "About" and "How to join" in the other content languages, by the English page's slug.
STANDARD_PAGE_TRANSLATIONS = {
    "about": {
        "es": {
            "title": "Sobre el clúster",
            "intro": "Quiénes somos y cómo trabajamos.",
            "body": [
                ("heading", {"text": "Un clúster del tercer sector", "level": "h2"}),
                (
                    "paragraph",
                    "<p>El Clúster Social reúne ONG, fundaciones, cooperativas, empresas, "
                    "universidades y organismos públicos para llevar a cabo proyectos sociales "
                    "innovadores: comparten personas, salas, equipos y conocimiento, y miden "
                    "el retorno social de lo que hacen juntos.</p>",
                ),
                (
                    "quote",
                    {
                        "text": "Ninguna organización sola habría llegado a estas familias.",
                        "attribution": "Una coordinadora de proyecto",
                    },
                ),
                (
                    "key_figures",
                    {
                        "heading": "Quince ideas, un clúster",
                        "figures": [
                            {"value": "15", "label": "ideas de transformación social"},
                            {"value": "3", "label": "idiomas: catalán, castellano, inglés"},
                            {"value": "100 %", "label": "informes de impacto abiertos"},
                        ],
                    },
                ),
            ],
        },
        "ca": {
            "title": "Sobre el clúster",
            "intro": "Qui som i com treballem.",
            "body": [
                ("heading", {"text": "Un clúster del tercer sector", "level": "h2"}),
                (
                    "paragraph",
                    "<p>El Clúster Social aplega ONG, fundacions, cooperatives, empreses, "
                    "universitats i organismes públics per tirar endavant projectes socials "
                    "innovadors: comparteixen persones, sales, equips i coneixement, i mesuren "
                    "el retorn social del que fan junts.</p>",
                ),
                (
                    "quote",
                    {
                        "text": "Cap organització sola no hauria arribat a aquestes famílies.",
                        "attribution": "Una coordinadora de projecte",
                    },
                ),
                (
                    "key_figures",
                    {
                        "heading": "Quinze idees, un clúster",
                        "figures": [
                            {"value": "15", "label": "idees de transformació social"},
                            {"value": "3", "label": "llengües: català, castellà, anglès"},
                            {"value": "100 %", "label": "informes d'impacte oberts"},
                        ],
                    },
                ),
            ],
        },
    },
    "how-to-join": {
        "es": {
            "title": "Cómo participar",
            "intro": "Registra tu organización y empieza a trabajar con otras entidades.",
            "body": [
                ("heading", {"text": "Tres pasos", "level": "h2"}),
                (
                    "paragraph",
                    "<ol><li>Crea una cuenta y confirma tu dirección de correo "
                    "electrónico.</li><li>Registra tu organización: una persona editora la "
                    "revisa en pocos días.</li><li>Invita a tus compañeros y propón un "
                    "proyecto o pide unirte a uno.</li></ol>",
                ),
                (
                    "call_to_action",
                    {
                        "title": "¿Empezamos?",
                        "text": "El registro es gratuito para las entidades sin ánimo de lucro.",
                        "button_label": "Crea una cuenta",
                        "page": None,
                        "url": "/accounts/signup/",
                    },
                ),
            ],
        },
        "ca": {
            "title": "Com participar-hi",
            "intro": "Registra la teva organització i comença a treballar amb altres entitats.",
            "body": [
                ("heading", {"text": "Tres passos", "level": "h2"}),
                (
                    "paragraph",
                    "<ol><li>Crea un compte i confirma la teva adreça de correu "
                    "electrònic.</li><li>Registra la teva organització: una persona editora "
                    "la revisa en pocs dies.</li><li>Convida els teus companys i proposa un "
                    "projecte o demana d'unir-te a un.</li></ol>",
                ),
                (
                    "call_to_action",
                    {
                        "title": "Comencem?",
                        "text": "El registre és gratuït per a les entitats sense ànim de lucre.",
                        "button_label": "Crea un compte",
                        "page": None,
                        "url": "/accounts/signup/",
                    },
                ),
            ],
        },
    },
}


def _standard_page_translations(ctx, home):
    """ "About" and "How to join" translated into es and ca (after the home page, their
    parent, is)."""
    from wagtail.models import Locale

    from .models import StandardPage

    for slug, languages in STANDARD_PAGE_TRANSLATIONS.items():
        page = StandardPage.objects.child_of(home).filter(slug=slug).first()
        if page is None:
            continue
        for code, texts in languages.items():
            locale = Locale.objects.get(language_code=code)
            if page.get_translation_or_none(locale) is not None:
                continue
            translated = page.copy_for_translation(locale)
            translated.title = texts["title"]
            translated.intro = texts["intro"]
            translated.body = texts["body"]
            translated.save_revision().publish()
    ctx.log("about and how-to-join translated: " + ", ".join(sorted(HOME_TRANSLATIONS)))


# The two directories' titles and introductions; their cards and filters are the interface.
DIRECTORY_TEXTS = {
    "partners": {
        "en": (
            "Partners",
            "<p>The NGOs, foundations, cooperatives, companies, universities and public bodies "
            "of the cluster. Filter by sector, region or goal, or look for what they offer and "
            "what they seek.</p>",
        ),
        "es": (
            "Socios",
            "<p>Las ONG, fundaciones, cooperativas, empresas, universidades y administraciones "
            "públicas del clúster. Filtra por sector, territorio u objetivo, o busca lo que "
            "ofrecen y lo que buscan.</p>",
        ),
        "ca": (
            "Socis",
            "<p>Les ONG, fundacions, cooperatives, empreses, universitats i administracions "
            "públiques del clúster. Filtra per sector, territori o objectiu, o cerca el que "
            "ofereixen i el que busquen.</p>",
        ),
    },
    "projects": {
        "en": (
            "Projects",
            "<p>Social projects the partners run together, from the first idea to the "
            "completed ones. Find one that needs what your organization can give.</p>",
        ),
        "es": (
            "Proyectos",
            "<p>Proyectos sociales que los socios llevan a cabo juntos, desde la primera idea "
            "hasta los ya terminados. Encuentra uno que necesite lo que tu organización puede "
            "aportar.</p>",
        ),
        "ca": (
            "Projectes",
            "<p>Projectes socials que els socis tiren endavant junts, des de la primera idea "
            "fins als ja acabats. Troba'n un que necessiti el que la teva organització pot "
            "aportar.</p>",
        ),
    },
}


def _directory_translations(ctx, home):
    """The partner and project directories' introductions, and their Spanish and Catalan
    versions (the directories list every partner and project in every language: the
    translated index pages reach the pages under the original through ``LocaleFallbackMixin``).
    """
    from wagtail.models import Locale, Page

    for slug, languages in DIRECTORY_TEXTS.items():
        index = Page.objects.child_of(home).filter(slug=slug).first()
        if index is None:
            continue
        index = index.specific
        title, intro = languages["en"]
        if not index.intro:
            index.intro = intro
            index.save_revision().publish()
        for code, (title, intro) in languages.items():
            if code == "en":
                continue
            locale = Locale.objects.get(language_code=code)
            if index.get_translation_or_none(locale) is not None:
                continue
            translated = index.copy_for_translation(locale)
            translated.title = title
            translated.intro = intro
            translated.save_revision().publish()
    ctx.log("partner and project directories translated: es, ca")


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
