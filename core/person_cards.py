"""Links to people's cards from lists of people (a project's team, an organization's members).

The kernel and the apps that list people know nothing of profiles: the app that shows cards
answers the hook ``register_person_card_urls`` with a function taking a set of user ids and
returning ``{user_id: url}`` for the people whose card the viewer may open (those who chose to
show it), in one query whatever the number of people.
"""

from wagtail import hooks

HOOK = "register_person_card_urls"


def person_card_urls(user_ids):
    """``{user_id: card url}`` of the people among ``user_ids`` who show a card."""
    user_ids = set(user_ids)
    urls = {}
    if not user_ids:
        return urls
    for answer in hooks.get_hooks(HOOK):
        urls.update(answer(user_ids))
    return urls


def with_card_urls(rows):
    """Set ``card_url`` (or None) on each row that has a ``user_id``; return the rows."""
    rows = list(rows)
    urls = person_card_urls(row.user_id for row in rows)
    for row in rows:
        row.card_url = urls.get(row.user_id)
    return rows
