"""Writes on the shared vocabularies: merging duplicate skills/resources tags.

Tags are django-taggit's ``Tag`` rows; what is tagged lives in the through models of the apps
above (partners' offers and seeks, projects' needs…). This module finds those through models
generically — every ``TaggedItemBase`` subclass with a ``tag`` foreign key to ``Tag`` — so it
never imports the apps that use tags.
"""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.models import RevisionMixin
from wagtail.search import index
from wagtail.search.backends import get_search_backends

from core import pagecache

from .models import Region, Sector, TagTranslation
from .vocabulary import fill_translations


def tag_through_models():
    """Every installed model that ties an object to a ``Tag`` through a ``tag`` foreign key."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, TaggedItemBase) and model._meta.get_field("tag").related_model is Tag
    ]


def _object_key_fields(model):
    """The columns naming the tagged object: ``content_object_id``, or content type + id."""
    return [
        field.attname
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name != "tag"
    ]


@transaction.atomic
def tag_merge(*, target, duplicates):
    """Re-point every item tagged with one of ``duplicates`` to ``target``; delete duplicates.

    An object that ends up with the same tag twice keeps one row. Pages keep their tags in
    their latest revision too (Wagtail edits from it), so that copy is rewritten as well.
    Returns the number of tagged items re-pointed.
    """
    duplicate_ids = sorted({tag.pk for tag in duplicates} - {target.pk})
    if not duplicate_ids:
        raise ValidationError(_("Choose at least two different tags to merge."))
    repointed = 0
    for model in tag_through_models():
        key_fields = _object_key_fields(model)
        rows = model.objects.filter(tag_id__in=[target.pk, *duplicate_ids]).values(
            "pk", "tag_id", *key_fields
        )
        # The target's own rows first, so an object already tagged with it keeps that row.
        rows = sorted(rows, key=lambda row: (row["tag_id"] != target.pk, row["pk"]))
        kept, to_delete, to_repoint = set(), [], []
        for row in rows:
            key = tuple(row[name] for name in key_fields)
            if key in kept:
                to_delete.append(row["pk"])
            else:
                kept.add(key)
                if row["tag_id"] != target.pk:
                    to_repoint.append(row["pk"])
        touched = {
            tuple(row[name] for name in key_fields) for row in rows if row["tag_id"] != target.pk
        }
        if to_delete:
            model.objects.filter(pk__in=to_delete).delete()
        if to_repoint:
            repointed += model.objects.filter(pk__in=to_repoint).update(tag=target)
        if touched:
            _rewrite_latest_revisions(model, [key[0] for key in touched], target, duplicate_ids)
    Tag.objects.filter(pk__in=duplicate_ids).delete()
    return repointed


def _rewrite_latest_revisions(through_model, parent_ids, target, duplicate_ids):
    """Point the tags stored in the parents' latest revisions at ``target``, each once."""
    parental = next(
        (f for f in through_model._meta.concrete_fields if isinstance(f, ParentalKey)), None
    )
    if parental is None:
        return
    parent_model = parental.related_model
    if not issubclass(parent_model, RevisionMixin):
        return
    relation = parental.remote_field.get_accessor_name()
    parents = parent_model._default_manager.filter(
        pk__in=parent_ids, latest_revision__isnull=False
    ).select_related("latest_revision")
    duplicate_set = set(duplicate_ids)
    for parent in parents:
        revision = parent.latest_revision
        items = revision.content.get(relation)
        if not items:
            continue
        seen, rewritten = set(), []
        for item in items:
            if item.get("tag") in duplicate_set:
                item = {**item, "tag": target.pk}
            if item.get("tag") in seen:
                continue
            seen.add(item.get("tag"))
            rewritten.append(item)
        if rewritten != items:
            revision.content[relation] = rewritten
            revision.save(update_fields=["content"])


def _indexed_users_of(model, items):
    """The indexed objects that hold ``items`` of ``model`` in a foreign key or many-to-many
    field (a partner's sectors, a project's region)."""
    for relation in model._meta.related_objects:
        if relation.one_to_one or not index.class_is_indexed(relation.related_model):
            continue
        yield (
            relation.related_model,
            relation.related_model.objects.filter(
                **{f"{relation.field.name}__in": items}
            ).distinct(),
        )


def _indexed_taggers_of(tag_ids):
    """The indexed objects tagged with ``tag_ids`` (through models with a ``content_object``
    foreign key)."""
    for through in tag_through_models():
        try:
            field = through._meta.get_field("content_object")
        except Exception:  # noqa: BLE001 - a generic relation: nothing to follow generically
            continue
        tagged = getattr(field, "related_model", None)
        if tagged is None or not index.class_is_indexed(tagged):
            continue
        ids = through.objects.filter(tag_id__in=tag_ids).values("content_object_id")
        yield tagged, tagged.objects.filter(pk__in=ids)


def vocabulary_reindex(items):
    """Index afresh what uses ``items`` (sectors, regions, tags or tag translations): pages
    index the vocabularies' names in every language (``taxonomy.search``), so a name an editor
    translates or corrects is found by search at once. Returns how many objects were indexed."""
    items = [item for item in items if item.pk is not None]  # deleted ones use nothing
    sectors = [item for item in items if isinstance(item, Sector)]
    regions = [item for item in items if isinstance(item, Region)]
    tag_ids = {item.pk for item in items if isinstance(item, Tag)} | {
        item.tag_id for item in items if isinstance(item, TagTranslation)
    }
    found = []
    if sectors:
        found += _indexed_users_of(Sector, sectors)
    if regions:
        found += _indexed_users_of(Region, regions)
    if tag_ids:
        found += _indexed_taggers_of(tag_ids)
    count = 0
    backends = list(get_search_backends(with_auto_update=True))
    for model, queryset in found:
        objects = list(queryset)
        count += len(objects)
        for backend in backends:
            if objects:
                backend.add_bulk(model, objects)
    return count


def vocabulary_translate():
    """Give the sectors, regions and tags the portal ships with their Spanish and Catalan
    names where they have none yet (``taxonomy.vocabulary``); pages show them afresh."""
    fill_translations(
        sector_model=Sector,
        region_model=Region,
        tag_model=Tag,
        tag_translation_model=TagTranslation,
    )
    vocabulary_reindex(
        [
            *Sector.objects.all(),
            *Region.objects.all(),
            *Tag.objects.filter(translation__isnull=False),
        ]
    )
    pagecache.cache_invalidate()
