"""The capability profiles' vocabularies become editors' terms: each term the portal shipped
with, by its code (what profiles store), with its English, Spanish and Catalan names and its
place in the list, so stored profiles keep meaning the same.

A term already there (same vocabulary and code) is left as it is. Going back removes the terms;
the codes stay on the profiles.
"""

from django.db import migrations

from partners.capability_vocabulary import ensure_terms


def create_terms(apps, schema_editor):
    ensure_terms(apps.get_model("partners", "CapabilityTerm"))


def remove_terms(apps, schema_editor):
    apps.get_model("partners", "CapabilityTerm").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("partners", "0009_capability_terms")]

    operations = [migrations.RunPython(create_terms, remove_terms)]
