"""A person's own profile at /portal/profile/ and the cards people choose to show.

Anonymous visitors are sent to sign in; a card its owner does not show answers 404, the same
as a person who does not exist.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import selectors, services
from .forms import ProfileForm


@login_required
def profile(request):
    return render(request, "people/profile.html", selectors.profile_page(request.user))


@login_required
def profile_edit(request):
    user = request.user
    current = selectors.profile_of(user)
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.profile_update(
                    user=user,
                    photo_file=data["photo"] or None,
                    remove_photo=data["remove_photo"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    languages=data["languages"],
                    skills=data["skills"],
                    bio=data["bio"],
                    shown=data["shown"],
                )
            except ValidationError as error:
                user.refresh_from_db()
                for name, errors in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                messages.success(request, _("Your profile is saved."))
                return redirect("portal:profile")
    else:
        form = ProfileForm(
            initial={
                "first_name": user.first_name,
                "last_name": user.last_name,
                "languages": current.languages,
                "skills": current.skills,
                "bio": current.bio,
                "shown": current.shown,
            }
        )
    return render(request, "people/profile_edit.html", {"form": form, "profile": current})


@login_required
def person(request, user_id):
    card = selectors.person_card(request.user, user_id)
    if card is None:
        raise Http404
    return render(request, "people/person.html", card)
