"""Demo projects: every status, led by and partnered with the demo organizations, with teams,
pending invitations and requests. Safe to run twice: everything is looked up before it is made.

Runs after ``partners.demo``, which fills ``ctx.organizations`` with at least "lead" (the
``coordinator`` account administers it), "partner" (``member`` belongs to it) and "outsider"
(``outsider`` administers it). When run without it, the three are made here through the
partners services, so this module also works on its own.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.html import escape
from wagtail.rich_text import RichText

from partners.models import Membership, PartnerPage
from partners.services import membership_add, organization_apply, organization_approve
from taxonomy.models import Region, Sector, SustainableDevelopmentGoal
from taxonomy.services import vocabulary_translate

from . import services
from .models import Participation, ProjectPage, TeamMembership
from .selectors import OPEN_STATUSES

DIGITAL_SKILLS_SLUG = "digital-skills-for-young-people"

# The projects' descriptions, as their coordinators wrote them in each language.
DESCRIPTIONS = {
    "digital-skills-for-young-people": {
        "en": (
            "Twice a week, after school, young people aged 16 to 21 meet in the foundation's "
            "workshop in El Raval. Volunteer mentors from the university and from partner "
            "companies teach them to code, to look after their digital identity and to "
            "prepare a CV and a job interview. Each cohort ends with a small project built "
            "for a local association and a visit to a company that hires juniors."
        ),
        "es": (
            "Dos días a la semana, después de clase, jóvenes de 16 a 21 años se reúnen en el "
            "taller de la fundación en El Raval. Mentores voluntarios de la universidad y de "
            "empresas socias les enseñan a programar, a cuidar su identidad digital y a "
            "preparar un currículum y una entrevista de trabajo. Cada grupo termina con un "
            "pequeño proyecto hecho para una asociación del barrio y una visita a una empresa"
            " que contrata perfiles júnior."
        ),
        "ca": (
            "Dos dies a la setmana, després de l'escola, joves de 16 a 21 anys es troben al "
            "taller de la fundació al Raval. Mentors voluntaris de la universitat i "
            "d'empreses sòcies els ensenyen a programar, a tenir cura de la seva identitat "
            "digital i a preparar un currículum i una entrevista de feina. Cada grup acaba "
            "amb un petit projecte fet per a una associació del barri i una visita a una "
            "empresa que contracta perfils júnior."
        ),
    },
    "shared-kitchens-network": {
        "en": (
            "Social enterprises that train people in catering share equipped kitchens in "
            "three neighbourhoods instead of each renting its own. The network sets a common "
            "booking calendar, hygiene training and a pool of trainers, so that more people "
            "can practise in a real kitchen and find work in restaurants and canteens."
        ),
        "es": (
            "Empresas sociales que forman a personas en restauración comparten cocinas "
            "equipadas en tres barrios en lugar de alquilar cada una la suya. La red organiza"
            " un calendario de reservas común, formación en higiene y un grupo de formadores,"
            " para que más personas puedan practicar en una cocina de verdad y encontrar "
            "trabajo en restaurantes y comedores."
        ),
        "ca": (
            "Empreses socials que formen persones en restauració comparteixen cuines "
            "equipades en tres barris en lloc de llogar-ne cadascuna la seva. La xarxa "
            "organitza un calendari de reserves comú, formació en higiene i un grup de "
            "formadors, perquè més persones puguin practicar en una cuina de debò i trobar "
            "feina en restaurants i menjadors."
        ),
    },
    "university-volunteers-for-elderly-care": {
        "en": (
            "University students visit elderly people who live alone for two hours a week: "
            "they talk, go for walks, help with the phone and with errands. Social services "
            "propose the people visited; the university recognises the hours as credits, and "
            "the volunteers meet once a month with a social worker."
        ),
        "es": (
            "Estudiantes universitarios visitan dos horas a la semana a personas mayores que "
            "viven solas: conversan, pasean, les ayudan con el móvil y con recados. Los "
            "servicios sociales proponen a las personas visitadas; la universidad reconoce "
            "las horas como créditos y los voluntarios se reúnen una vez al mes con una "
            "trabajadora social."
        ),
        "ca": (
            "Estudiants universitaris visiten dues hores a la setmana gent gran que viu sola:"
            " conversen, passegen, els ajuden amb el mòbil i amb encàrrecs. Els serveis "
            "socials proposen les persones visitades; la universitat reconeix les hores com a"
            " crèdits i els voluntaris es reuneixen un cop al mes amb una treballadora "
            "social."
        ),
    },
    "open-social-return-reports": {
        "en": (
            "A shared, open method for measuring the social return on investment of small "
            "projects: a value map template, a library of financial proxies with their "
            "sources and a guide to publishing every assumption. Twelve NGOs of the cluster "
            "tested it on their own projects and published their reports on this portal."
        ),
        "es": (
            "Un método compartido y abierto para medir el retorno social de la inversión de "
            "proyectos pequeños: una plantilla de mapa de valor, una biblioteca de "
            "indicadores financieros con sus fuentes y una guía para publicar cada supuesto. "
            "Doce ONG del clúster lo probaron en sus propios proyectos y publicaron sus "
            "informes en este portal."
        ),
        "ca": (
            "Un mètode compartit i obert per mesurar el retorn social de la inversió de "
            "projectes petits: una plantilla de mapa de valor, una biblioteca d'indicadors "
            "financers amb les seves fonts i una guia per publicar cada supòsit. Dotze ONG "
            "del clúster el van provar en els seus propis projectes i en van publicar els "
            "informes en aquest portal."
        ),
    },
    "community-housing-retrofit": {
        "en": (
            "A plan to insulate and retrofit three blocks of social housing with their "
            "tenants' associations, with local unemployed people trained and hired for the "
            "works. It was cancelled when the public grant it depended on was not awarded; "
            "its studies are kept for a new call."
        ),
        "es": (
            "Un plan para aislar y rehabilitar tres bloques de vivienda social con sus "
            "asociaciones de inquilinos, formando y contratando para las obras a personas en "
            "paro del barrio. Se canceló cuando no se concedió la subvención pública de la "
            "que dependía; sus estudios se guardan para una nueva convocatoria."
        ),
        "ca": (
            "Un pla per aïllar i rehabilitar tres blocs d'habitatge social amb les seves "
            "associacions de llogaters, formant i contractant per a les obres persones "
            "aturades del barri. Es va cancel·lar quan no es va concedir la subvenció pública"
            " de què depenia; els seus estudis es guarden per a una nova convocatòria."
        ),
    },
    "mobile-first-social-services": {
        "en": (
            "A phone app with which families ask for an appointment with social services, "
            "follow its state and receive reminders in their language, without queues or "
            "paper forms. It is being designed with the families who use the services and "
            "with the social workers who receive them."
        ),
        "es": (
            "Una aplicación para el móvil con la que las familias piden cita con los "
            "servicios sociales, siguen su estado y reciben recordatorios en su idioma, sin "
            "colas ni formularios en papel. Se diseña con las familias que usan los servicios"
            " y con las trabajadoras sociales que las atienden."
        ),
        "ca": (
            "Una aplicació per al mòbil amb què les famílies demanen cita amb els serveis "
            "socials, en segueixen l'estat i reben recordatoris en la seva llengua, sense "
            "cues ni formularis en paper. Es dissenya amb les famílies que fan servir els "
            "serveis i amb les treballadores socials que les atenen."
        ),
    },
}

# Public texts the coordinators wrote in the other languages.
TEXT_TRANSLATIONS = {
    DIGITAL_SKILLS_SLUG: {
        "es": {
            "summary": "Talleres gratuitos después de clase donde jóvenes en riesgo de "
            "exclusión aprenden a programar, preparan su currículum en línea y encuentran su "
            "primer empleo.",
            "description": DESCRIPTIONS["digital-skills-for-young-people"]["es"],
        },
        "ca": {
            "summary": "Tallers gratuïts després de l'escola on joves en risc d'exclusió "
            "aprenen a programar, preparen el currículum en línia i troben la primera feina.",
            "description": DESCRIPTIONS["digital-skills-for-young-people"]["ca"],
        },
    },
    "shared-kitchens-network": {
        "es": {
            "summary": "Cocinas de barrio compartidas por empresas sociales que forman a "
            "personas en restauración.",
            "description": DESCRIPTIONS["shared-kitchens-network"]["es"],
        },
        "ca": {
            "summary": "Cuines de barri compartides per empreses socials que formen persones "
            "en restauració.",
            "description": DESCRIPTIONS["shared-kitchens-network"]["ca"],
        },
    },
    "university-volunteers-for-elderly-care": {
        "es": {
            "summary": "Estudiantes que pasan dos horas a la semana con personas mayores que "
            "viven solas.",
            "description": DESCRIPTIONS["university-volunteers-for-elderly-care"]["es"],
        },
        "ca": {
            "summary": "Estudiants que passen dues hores a la setmana amb gent gran que viu sola.",
            "description": DESCRIPTIONS["university-volunteers-for-elderly-care"]["ca"],
        },
    },
    "open-social-return-reports": {
        "es": {
            "summary": "Un método compartido y abierto para que las ONG publiquen el retorno "
            "social de sus proyectos.",
            "description": DESCRIPTIONS["open-social-return-reports"]["es"],
        },
        "ca": {
            "summary": "Un mètode compartit i obert perquè les ONG publiquin el retorn social "
            "dels seus projectes.",
            "description": DESCRIPTIONS["open-social-return-reports"]["ca"],
        },
    },
    "community-housing-retrofit": {
        "es": {
            "summary": "Rehabilitación energética de bloques de vivienda social junto con sus "
            "asociaciones de inquilinos.",
            "description": DESCRIPTIONS["community-housing-retrofit"]["es"],
        },
        "ca": {
            "summary": "Rehabilitació energètica de blocs d'habitatge social amb les seves "
            "associacions de llogaters.",
            "description": DESCRIPTIONS["community-housing-retrofit"]["ca"],
        },
    },
    "mobile-first-social-services": {
        "es": {
            "summary": "Una aplicación para el móvil con la que las familias piden y siguen "
            "sus citas con los servicios sociales.",
            "description": DESCRIPTIONS["mobile-first-social-services"]["es"],
        },
        "ca": {
            "summary": "Una aplicació per al mòbil amb què les famílies demanen i segueixen "
            "les seves cites amb els serveis socials.",
            "description": DESCRIPTIONS["mobile-first-social-services"]["ca"],
        },
    },
}

# key, title, slug, kind, region, sectors, sdgs, offers, seeks, admin, member
FALLBACK_ORGANIZATIONS = [
    (
        "lead",
        "Fundació Horitzó Jove",
        "fundacio-horitzo-jove",
        "foundation",
        "barcelones",
        ["education", "youth"],
        [4, 8, 10],
        ["mentoring", "training", "youth work"],
        ["volunteers", "laptops", "digital skills"],
        "coordinator",
        None,
    ),
    (
        "partner",
        "Coopdigital, SCCL",
        "coopdigital-sccl",
        "cooperative",
        "barcelones",
        ["technology", "education"],
        [4, 9],
        ["digital skills", "laptops", "web development"],
        ["funding"],
        "jordi",
        "member",
    ),
    (
        "outsider",
        "Associació Veïnal del Poble-sec",
        "associacio-veinal-del-poble-sec",
        "ngo",
        "barcelones",
        ["housing", "community"],
        [1, 11],
        ["volunteers", "meeting rooms", "community outreach"],
        ["legal advice"],
        "outsider",
        None,
    ),
]

REGIONS = {
    "barcelones": "Barcelonès",
    "valles-occidental": "Vallès Occidental",
    "girones": "Gironès",
    "segria": "Segrià",
    "tarragones": "Tarragonès",
}
SECTORS = {
    "education": "Education",
    "youth": "Youth",
    "technology": "Technology",
    "housing": "Housing",
    "community": "Community",
    "health": "Health",
    "elderly-care": "Elderly care",
    "employment": "Employment",
}

# slug, title, status, lead key, partner keys, region, sectors, sdgs, needs, summary, months
PROJECTS = [
    (
        DIGITAL_SKILLS_SLUG,
        "Digital skills for young people",
        ProjectPage.Status.ACTIVE,
        "lead",
        ["partner"],
        "barcelones",
        ["education", "youth", "technology"],
        [4, 8, 10],
        ["volunteers", "laptops", "digital skills", "mentoring"],
        "Free after-school workshops where young people at risk of exclusion learn to code, "
        "build their CV online and find their first job.",
        (-6, 18),
    ),
    (
        "shared-kitchens-network",
        "Shared kitchens network",
        ProjectPage.Status.FORMING,
        "partner",
        [],
        "barcelones",
        ["community", "employment"],
        [2, 12],
        ["meeting rooms", "volunteers", "funding"],
        "Neighbourhood kitchens shared by social enterprises that train people in catering.",
        (2, 24),
    ),
    (
        "university-volunteers-for-elderly-care",
        "University volunteers for elderly care",
        ProjectPage.Status.IDEA,
        "outsider",
        [],
        "barcelones",
        ["elderly-care", "health"],
        [3, 10],
        ["volunteers", "mentoring", "legal advice"],
        "Students spend two hours a week with elderly people who live alone.",
        (4, 16),
    ),
    (
        "open-social-return-reports",
        "Open social return reports",
        ProjectPage.Status.COMPLETED,
        "lead",
        ["partner", "outsider"],
        "barcelones",
        ["technology", "community"],
        [16, 17],
        ["web development", "data analysis"],
        "A shared, open method for NGOs to publish the social return of their projects.",
        (-30, -3),
    ),
    (
        "community-housing-retrofit",
        "Community housing retrofit",
        ProjectPage.Status.CANCELLED,
        "outsider",
        ["lead"],
        "barcelones",
        ["housing"],
        [7, 11, 13],
        ["funding", "legal advice"],
        "Energy retrofit of social housing blocks with their tenants' associations.",
        (-12, 12),
    ),
]

# slug, key of the organization, kind ("invited" by the coordinators or "requested" by it)
PENDING = [
    ("shared-kitchens-network", "lead", Participation.Status.INVITED),
    ("shared-kitchens-network", "outsider", Participation.Status.REQUESTED),
    ("university-volunteers-for-elderly-care", "partner", Participation.Status.INVITED),
]

DRAFT = (
    "mobile-first-social-services",
    "Mobile-first social services",
    "lead",
    ["technology", "health"],
    [3, 10],
    ["web development", "volunteers"],
    "A phone app that lets families book and follow social services appointments.",
)


def _body(slug):
    """The page's description (its English original) as the one paragraph of its body."""
    return [("paragraph", RichText(f"<p>{escape(DESCRIPTIONS[slug]['en'])}</p>"))]


def _get_or_create_named(model, slug, name):
    found = model.objects.filter(Q(slug=slug) | Q(name=name)).first()
    return found or model.objects.create(slug=slug, name=name)


def _user(ctx, username, first, last):
    from allauth.account.models import EmailAddress

    from core.demo import DEMO_PASSWORD

    if username in ctx.users:
        return ctx.users[username]
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@demo.cluster.test",
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    ctx.users[username] = user
    return user


def _ensure_organizations(ctx, regions, sectors, sdgs):
    """Make the three organizations the projects need, unless partners' demo made them."""
    reviewer = ctx.users.get("editor") or ctx.users.get("admin")
    for (
        key,
        title,
        slug,
        kind,
        region,
        sector_slugs,
        numbers,
        offers,
        seeks,
        admin,
        member,
    ) in FALLBACK_ORGANIZATIONS:
        if key in ctx.organizations:
            continue
        admin_user = _user(ctx, admin, "Jordi", "Soler")
        organization = PartnerPage.objects.filter(slug=slug).first()
        if organization is None:
            organization = organization_apply(
                user=admin_user,
                title=title,
                submit=False,
                kind=kind,
                region=regions[region],
                city="Barcelona",
                summary=f"{title}: a demo organization of the cluster.",
                sectors=[sectors[s] for s in sector_slugs],
                sdgs=[sdgs[n] for n in numbers],
                offers=offers,
                seeks=seeks,
            )
            organization_approve(organization=organization, user=reviewer)
        if not Membership.objects.filter(organization=organization, user=admin_user).exists():
            membership_add(organization=organization, user=admin_user, role=Membership.Role.ADMIN)
        if (
            member
            and not Membership.objects.filter(
                organization=organization, user=ctx.users[member]
            ).exists()
        ):
            membership_add(organization=organization, user=ctx.users[member])
        ctx.organizations[key] = organization


def _admin_of(organization):
    membership = (
        Membership.objects.filter(organization=organization, role=Membership.Role.ADMIN)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def _ensure_member(organization, user, role=Membership.Role.MEMBER):
    if not Membership.objects.filter(organization=organization, user=user).exists():
        membership_add(organization=organization, user=user, role=role)


def seed(ctx):
    regions = {slug: _get_or_create_named(Region, slug, name) for slug, name in REGIONS.items()}
    sectors = {slug: _get_or_create_named(Sector, slug, name) for slug, name in SECTORS.items()}
    sdgs = {sdg.number: sdg for sdg in SustainableDevelopmentGoal.objects.all()}
    _ensure_organizations(ctx, regions, sectors, sdgs)
    organizations = ctx.organizations
    # The accounts the DESIGN's demo promises, whoever made the organizations.
    _ensure_member(organizations["lead"], ctx.users["coordinator"], Membership.Role.ADMIN)
    _ensure_member(organizations["partner"], ctx.users["member"])
    reviewer = ctx.users.get("editor") or ctx.users.get("admin")
    today = datetime.date.today()
    made = 0
    for (
        slug,
        title,
        status,
        lead_key,
        partner_keys,
        region,
        sector_slugs,
        numbers,
        needs,
        summary,
        (start, end),
    ) in ctx.progress(PROJECTS, "projects"):
        lead = organizations[lead_key]
        proposer = ctx.users["coordinator"] if lead_key == "lead" else _admin_of(lead)
        project = ProjectPage.objects.filter(slug=slug).first()
        is_new = project is None
        if is_new:
            # Closed projects take no new partners: propose them open, record their partners,
            # then close them, as happened in their history.
            project = services.project_propose(
                user=proposer,
                lead_organization=lead,
                title=title,
                summary=summary,
                body=_body(slug),
                text_translations=TEXT_TRANSLATIONS.get(slug, {}),
                status=status if status in OPEN_STATUSES else ProjectPage.Status.ACTIVE,
                region=regions[region],
                sectors=[sectors[s] for s in sector_slugs],
                sdgs=[sdgs[n] for n in numbers],
                needs=needs,
                start_date=today + datetime.timedelta(days=30 * start),
                end_date=today + datetime.timedelta(days=30 * end),
            )
            project = services.project_approve(project=project, user=reviewer)
            made += 1
        coordinator = (
            TeamMembership.objects.filter(project=project, is_coordinator=True)
            .select_related("user")
            .first()
        )
        if is_new or project.status in OPEN_STATUSES:
            for key in partner_keys:
                _ensure_partner(project, organizations[key], coordinator.user)
        if project.status != status:
            project.status = status
            project.save_revision(user=reviewer).publish(user=reviewer)
        ctx.projects[slug] = project
    ctx.projects["digital-skills"] = ctx.projects[DIGITAL_SKILLS_SLUG]
    _ensure_team(ctx.projects["digital-skills"], organizations["partner"], ctx.users["member"])
    for slug, key, kind in PENDING:
        _ensure_pending(ctx.projects[slug], organizations[key], kind)
    _ensure_draft(ctx, regions, sectors, sdgs)
    ctx.log(f"projects: {len(PROJECTS) + 1} ({made} new), with teams and pending partnerships")
    # The sectors, regions and tags made above (and by partners.demo), in Spanish and Catalan.
    vocabulary_translate()


def _ensure_partner(project, organization, coordinator):
    participation = Participation.objects.filter(
        project=project, organization=organization
    ).first()
    if participation and participation.status == Participation.Status.ACTIVE:
        return
    if participation is None or participation.status not in (
        Participation.Status.INVITED,
        Participation.Status.REQUESTED,
    ):
        participation = services.participation_invite(
            project=project, organization=organization, user=coordinator
        )
    services.participation_accept(participation=participation, user=_admin_of(organization))


def _ensure_team(project, organization, user):
    if not TeamMembership.objects.filter(project=project, user=user).exists():
        services.team_add(project=project, user=user, organization=organization)


def _ensure_pending(project, organization, kind):
    if Participation.objects.filter(project=project, organization=organization).exists():
        return
    if kind == Participation.Status.INVITED:
        coordinator = TeamMembership.objects.filter(project=project, is_coordinator=True).first()
        services.participation_invite(
            project=project,
            organization=organization,
            user=coordinator.user,
            message="We would love to have you on board.",
        )
    else:
        services.participation_request(
            project=project,
            organization=organization,
            user=_admin_of(organization),
            message="We can lend rooms and volunteers in our neighbourhood.",
        )


def _ensure_draft(ctx, regions, sectors, sdgs):
    slug, title, lead_key, sector_slugs, numbers, needs, summary = DRAFT
    project = ProjectPage.objects.filter(slug=slug).first()
    if project is None:
        project = services.project_propose(
            user=ctx.users["coordinator"],
            lead_organization=ctx.organizations[lead_key],
            title=title,
            summary=summary,
            body=_body(slug),
            text_translations=TEXT_TRANSLATIONS.get(slug, {}),
            status=ProjectPage.Status.IDEA,
            region=regions["barcelones"],
            sectors=[sectors[s] for s in sector_slugs],
            sdgs=[sdgs[n] for n in numbers],
            needs=needs,
        )
    ctx.projects["awaiting-review"] = project
