"""Demo communities of practice, in Catalan, Spanish and English: members, questions with an
accepted answer, published knowledge (a case study of "Digital skills for young people"
among it) and upcoming sessions. Safe to run twice: communities are found by slug and their
content by title before anything is made.

Runs after ``projects.demo`` (``coordinator``, ``member``, ``outsider``, ``editor`` and the
digital skills project); without them it makes the accounts it needs and links no project.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from core.demo import DEMO_PASSWORD
from taxonomy.models import SustainableDevelopmentGoal

from . import services
from .models import Community, CommunityMembership, KnowledgeItemPage, Question

COMMUNITIES = [
    {
        "slug": "inclusio-digital-joves",
        "name": "Inclusió digital de joves",
        "summary": "Entitats que acompanyen joves en risc d'exclusió a aprendre competències "
        "digitals i trobar feina.",
        "charter": "Compartim materials, errors i encerts. Tot el que publiquem es pot "
        "reutilitzar amb llicència CC BY.",
        "joining": Community.Joining.OPEN,
        "sdgs": [4, 8, 10],
        "facilitator": "coordinator",
        "members": ["member"],
        "language": "ca",
        "question": (
            "Com mesureu l'assistència als tallers?",
            "Volem saber quants joves acaben el curs sense fer-los omplir formularis.",
            "Fem servir un full de signatures a l'entrada i una enquesta breu al final "
            "de cada mòdul; a l'informe SROI comptem només qui completa el 80 %.",
        ),
        "items": [
            (
                "Guia per obrir un club de programació",
                KnowledgeItemPage.Kind.GUIDE,
                "Com començar un club de programació per a joves en un casal de barri.",
                "Busqueu un espai amb bona connexió i ordinadors cedits.\n\n"
                "Formeu parelles de mentors voluntaris i joves.",
            ),
        ],
    },
    {
        "slug": "medicion-sroi",
        "name": "Medición del impacto social (SROI)",
        "summary": "Organizaciones que miden el retorno social de sus proyectos con el método "
        "SROI y comparten indicadores y proxies.",
        "charter": "Publicamos nuestros supuestos para que otras entidades puedan revisarlos.",
        "joining": Community.Joining.APPROVAL,
        "sdgs": [8, 17],
        "facilitator": "coordinator",
        "members": [],
        "language": "es",
        "question": (
            "¿Qué proxy financiero usáis para el bienestar de los voluntarios?",
            "Dudamos entre el valor de mercado de la formación y el de una suscripción.",
            "Usamos el coste de un curso equivalente; la tasa de deducción por peso muerto "
            "la fijamos en un 20 %.",
        ),
        "items": [
            (
                "Plantilla de mapa de impacto",
                KnowledgeItemPage.Kind.TOOL,
                "Una plantilla para preparar el mapa de impacto antes de la primera reunión.",
                "Partes interesadas, insumos, productos y resultados, uno por fila.",
            ),
        ],
    },
    {
        "slug": "volunteering-with-universities",
        "name": "Volunteering with universities",
        "summary": "Third-sector organizations and universities building volunteering "
        "programmes for students.",
        "charter": "Be kind, share what worked and what did not.",
        "joining": Community.Joining.OPEN,
        "sdgs": [4, 17],
        "facilitator": "editor",
        "members": ["member", "outsider"],
        "language": "en",
        "question": (
            "How do you recognise student volunteers' hours?",
            "Our partner university asks for a certificate template.",
            "We agreed ECTS credits with the faculty: 25 hours of volunteering make one credit.",
        ),
        "items": [
            (
                "Policy: volunteer agreements",
                KnowledgeItemPage.Kind.POLICY,
                "The agreement every student volunteer signs, and why.",
                "Volunteers are never a substitute for paid staff.\n\nInsurance covers them.",
            ),
        ],
    },
]


def _user(ctx, username):
    user = ctx.users.get(username)
    if user is None:
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        if created:
            user.password = make_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        ctx.users[username] = user
    return user


def _editor(ctx):
    from django.contrib.auth.models import Group

    editor = _user(ctx, "editor")
    editor.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    return editor


def seed(ctx):
    editor = _editor(ctx)
    sdgs = {sdg.number: sdg for sdg in SustainableDevelopmentGoal.objects.all()}
    made = 0
    for spec in COMMUNITIES:
        facilitator = _user(ctx, spec["facilitator"])
        community = Community.objects.filter(slug=spec["slug"]).first()
        if community is None:
            community = services.community_create(
                user=editor,
                name=spec["name"],
                slug=spec["slug"],
                summary=spec["summary"],
                charter=spec["charter"],
                joining=spec["joining"],
                sdgs=[sdgs[n] for n in spec["sdgs"] if n in sdgs],
                facilitators=[facilitator],
            )
            made += 1
        for username in spec["members"]:
            user = _user(ctx, username)
            if not CommunityMembership.objects.filter(community=community, user=user).exists():
                membership = services.membership_join(community=community, user=user)
                if membership.status == CommunityMembership.Status.REQUESTED:
                    services.membership_approve(membership=membership, by=facilitator)
        _question(community, spec, ctx, facilitator)
        for title, kind, summary, body in spec["items"]:
            _item(community, facilitator, title, kind, summary, body, spec["language"])
        _session(community, facilitator)
    _case_study(ctx)
    ctx.log(f"communities: {len(COMMUNITIES)} ({made} new), with questions, knowledge, sessions")


def _question(community, spec, ctx, facilitator):
    title, body, answer_text = spec["question"]
    if Question.objects.filter(community=community, title=title).exists():
        return
    members = [_user(ctx, name) for name in spec["members"]] or [facilitator]
    question = services.question_ask(community=community, user=members[0], title=title, body=body)
    answer = services.answer_post(question=question, user=facilitator, body=answer_text)
    services.answer_accept(answer=answer, user=facilitator)


def _item(community, facilitator, title, kind, summary, body, language, **fields):
    item = KnowledgeItemPage.objects.filter(title=title).first()
    if item is None:
        item = services.item_propose(
            user=facilitator,
            community=community,
            title=title,
            kind=kind,
            summary=summary,
            body=body,
            language=language,
            **fields,
        )
        item = services.item_review(item=item, user=facilitator, approve=True)
    return item


def _session(community, facilitator):
    if community.sessions.exists():
        return
    starts = (timezone.now() + datetime.timedelta(days=14)).replace(
        hour=17, minute=0, second=0, microsecond=0
    )
    services.session_create(
        community=community,
        user=facilitator,
        title=f"{community.name}: trobada / encuentro / meeting",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1, minutes=30),
        link="https://meet.example.org/cluster",
    )


def _case_study(ctx):
    project = ctx.projects.get("digital-skills")
    community = Community.objects.filter(slug="inclusio-digital-joves").first()
    if project is None or community is None:
        return
    coordinator = _user(ctx, "coordinator")
    _item(
        community,
        coordinator,
        "Case study: Digital skills for young people",
        KnowledgeItemPage.Kind.CASE_STUDY,
        "What two years of after-school coding workshops taught us, with the project's "
        "open impact report.",
        "Forty young people finished the course; twelve found a first job.\n\n"
        "The impact report of the project lists every assumption behind its SROI ratio.",
        "en",
        related_projects=[project],
        author_organizations=[project.lead_organization] if project.lead_organization else [],
    )
