"""Demo profiles for a few of the demo people, shown to the cluster. Safe to run twice: a
profile that has any text already is left as it is."""

from .models import Profile
from .services import profile_update

PROFILES = {
    "coordinator": (
        "Català, castellano, English",
        "coordinació de projectes, avaluació SROI",
        "Coordino programes de competències digitals per a joves.",
    ),
    "jordi": (
        "Català, castellano",
        "formació, mentoria",
        "Formador en una cooperativa de Girona.",
    ),
    "laia": (
        "Català, English",
        "anàlisi de dades, voluntariat",
        "Treballo amb dades obertes i xarxes de voluntariat universitari.",
    ),
}


def seed(ctx):
    for username, (languages, skills, bio) in PROFILES.items():
        user = ctx.users.get(username)
        if user is None or Profile.objects.filter(user=user).exclude(bio="").exists():
            continue
        profile_update(user=user, languages=languages, skills=skills, bio=bio, shown=True)
