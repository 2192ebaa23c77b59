"""crm/demo.py: the lead organization's contacts with consent in every state, relationships,
segments and an import in the log; safe to run twice."""

import io

import pytest
from django.core.management.base import BaseCommand
from django.test import TestCase

from core.demo import DemoContext
from crm import demo, selectors
from crm.models import Consent, Contact, ContactImport, Relationship, Segment
from home import demo as home_demo
from partners import demo as partners_demo

pytestmark = pytest.mark.django_db


@pytest.mark.slow
def test_seed_builds_contacts_in_every_consent_state_and_is_idempotent(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ctx = DemoContext(command=BaseCommand(stdout=io.StringIO()))
    home_demo.seed(ctx)
    partners_demo.seed(ctx)
    with TestCase.captureOnCommitCallbacks(execute=True):
        demo.seed(ctx)
    book = ctx.organizations["lead"].contact_book
    current = set()
    for contact in Contact.objects.filter(book=book):
        history = selectors.consent_history(contact)
        current |= {entry.status for entry in selectors.consent_current(history).values()}
    assert current == set(Consent.Status.values)
    assert Consent.objects.filter(contact__book=book, legal_basis="contract").exists()
    assert Relationship.objects.filter(contact__book=book).count() == 2
    assert Segment.objects.filter(book=book).count() == 2
    log = ContactImport.objects.get(book=book)
    assert (log.status, log.rows, log.created, log.updated, log.flagged) == ("done", 3, 2, 1, 1)
    assert len(selectors.duplicate_groups(book)) == 2  # the Laias and the imported Jordi
    newsletter = Segment.objects.get(book=book, name="Newsletter by e-mail")
    names = {
        c.name
        for c in selectors.consenting_contacts(
            book, purpose=newsletter.purpose, channel=newsletter.channel
        )
    }
    assert names == {"Marta Ferrer", "Núria Soler", "Laia Puig"}
    count = Contact.objects.count()
    demo.seed(ctx)
    assert Contact.objects.count() == count
    assert ContactImport.objects.count() == 1
