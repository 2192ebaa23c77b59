"""Demo chat history for "Digital skills for young people" (safe to run twice)."""

from projects.models import ProjectPage, TeamMembership

from .services import message_send

SLUG = "digital-skills-for-young-people"

# (author's demo username, text); client ids make every line idempotent.
CONVERSATION = [
    ("coordinator", "Welcome to the team chat! This is where we coordinate the workshops."),
    ("member", "Thanks Clara. Our volunteers can run the Saturday sessions in March."),
    (
        "coordinator",
        "Great. The draft syllabus is at https://example.org/syllabus (comments welcome).",
    ),
    ("member", "I'll review it this week and add a module on online safety."),
    ("coordinator", "@member could you also confirm how many laptops you can lend?"),
    ("member", "Twelve laptops, and two more if the university's are repaired in time."),
    ("coordinator", "Perfect, that covers the first cohort of twenty young people."),
    ("member", "Should we ask the youth centre to help with the sign-ups?"),
    ("coordinator", "Yes, I'll call them tomorrow and report back here."),
    ("member", "See you on Monday's call 👋"),
]


def seed(ctx):
    project = ProjectPage.objects.filter(slug=SLUG).first()
    if project is None:
        ctx.log(f"chat: no project with slug {SLUG!r}; no chat history made")
        return
    team = {
        row.user.username: row.user
        for row in TeamMembership.objects.filter(project=project).select_related("user")
    }
    fallback = next(iter(team.values()), None)
    if fallback is None:
        ctx.log("chat: the demo project has no team; no chat history made")
        return
    for index, (username, text) in enumerate(CONVERSATION, start=1):
        author = team.get(username) or ctx.users.get(username) or fallback
        if author.username not in team:
            author = fallback
        message_send(project_id=project.pk, author=author, body=text, client_id=f"demo-{index}")
    ctx.log(f"chat: {len(CONVERSATION)} messages in “{project.title}”")
