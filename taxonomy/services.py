"""Writes on the shared vocabularies: tags members propose and editors review, merging
duplicate skills/resources tags.

Tags are django-taggit's ``Tag`` rows; what is tagged lives in the through models of the apps
above (partners' offers and seeks, projects' needs…). This module finds those through models
generically — every ``TaggedItemBase`` subclass with a ``tag`` foreign key to ``Tag`` — so it
never imports the apps that use tags.
"""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.models import RevisionMixin
from wagtail.search import index
from wagtail.search.backends import get_search_backends

from core import pagecache
from core.roles import is_editor

from . import tags as vocabulary_tags
from .models import Region, Sector, TagTranslation
from .signals import tag_proposed
from .vocabulary import TAGS, fill_translations


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


def tags_assign(manager, names, *, by):
    """Give the tagged object behind ``manager`` (``organization.offers``, ``listing.tags``…)
    exactly the tags ``names``, each read as the known tag it names in any language
    (``canonical_names``): those no tag had before become tags proposed by ``by``
    (``tag_proposals_record``)."""
    names = vocabulary_tags.canonical_names(names)
    new = vocabulary_tags.unknown_names(names)
    manager.set(names)
    if new:
        tag_proposals_record(names=new, proposed_by=by)


@transaction.atomic
def tag_proposals_record(*, names, proposed_by):
    """Record the tags named ``names`` that nobody reviewed yet as proposed by ``proposed_by``;
    each new proposal is announced once (``signals.tag_proposed``). What an editor types is
    part of the vocabulary at once. Returns the tags newly proposed."""
    lowered = {name.lower() for name in names}
    if not lowered:
        return []
    editor = proposed_by is not None and is_editor(proposed_by)
    status = TagTranslation.Status.APPROVED if editor else TagTranslation.Status.PROPOSED
    proposed = []
    candidates = Tag.objects.annotate(n=Lower("name")).filter(
        n__in=lowered, translation__isnull=True
    )
    for tag in candidates:
        # The row is keyed by the tag: two members proposing it at once create it once.
        _row, created = TagTranslation.objects.get_or_create(
            tag=tag,
            defaults={
                "status": status,
                "proposed_by": proposed_by if proposed_by and proposed_by.pk else None,
                "proposed_at": timezone.now(),
            },
        )
        if created and not editor:
            proposed.append(tag)
    for tag in proposed:
        tag_proposed.send(sender=Tag, tag=tag, proposed_by=proposed_by)
    return proposed


def tag_proposals():
    """The proposed tags, oldest first, each with ``usage_count`` (how many items carry it)."""
    return annotate_usage(
        Tag.objects.filter(translation__status=TagTranslation.Status.PROPOSED)
        .select_related("translation__proposed_by")
        .order_by("translation__proposed_at", "pk")
    )


def annotate_usage(queryset):
    """Add ``usage_count``: how many items carry each tag, over every through model."""
    total = Value(0)
    for model in tag_through_models():
        count = (
            model.objects.filter(tag=OuterRef("pk"))
            .order_by()
            .values("tag")
            .annotate(n=Count("pk"))
            .values("n")
        )
        total = total + Coalesce(Subquery(count, output_field=IntegerField()), 0)
    return queryset.annotate(usage_count=total)


def _proposal(tag):
    row = TagTranslation.objects.select_for_update().filter(tag=tag).first()
    if row is None or row.status != TagTranslation.Status.PROPOSED:
        raise ValidationError(_("This tag is not waiting for review any more."))
    return row


def _vocabulary_changed(tag_ids):
    # Pages show the tag afresh (the page cache is made stale again once this commits), and
    # search finds them by its names in every language.
    vocabulary_tags.tags_changed()
    vocabulary_reindex(list(Tag.objects.filter(pk__in=tag_ids)))


@transaction.atomic
def tag_approve(*, tag, name, name_es, name_ca):
    """An editor takes a proposed tag into the vocabulary, under ``name`` (its English name)
    and its Spanish and Catalan names. A name another tag already has (in any language) is
    refused: merge into that tag instead."""
    row = _proposal(tag)
    name, name_es, name_ca = name.strip(), name_es.strip(), name_ca.strip()
    if not name:
        raise ValidationError({"name": _("Give the tag a name.")})
    clashes = {}
    for field, value in (("name", name), ("name_es", name_es), ("name_ca", name_ca)):
        if not value:
            continue
        other = (
            Tag.objects.exclude(pk=tag.pk)
            .annotate(
                n=Lower("name"),
                n_es=Lower("translation__name_es"),
                n_ca=Lower("translation__name_ca"),
            )
            .filter(Q(n=value.lower()) | Q(n_es=value.lower()) | Q(n_ca=value.lower()))
            .first()
        )
        if other is not None:
            clashes[field] = _(
                "“%(name)s” is already the tag “%(tag)s”: merge this one into it instead."
            ) % {"name": value, "tag": other.name}
    if clashes:
        raise ValidationError(clashes)
    if name != tag.name:
        tag.name = name
        tag.save(update_fields=["name"])
    row.name_es, row.name_ca = name_es, name_ca
    row.status = TagTranslation.Status.APPROVED
    row.save(update_fields=["name_es", "name_ca", "status"])
    _vocabulary_changed([tag.pk])
    return tag


@transaction.atomic
def tag_proposal_merge(*, tag, target):
    """Fold a proposed tag into ``target`` (an approved tag): what carried the proposal
    carries ``target`` instead, and the proposal is gone."""
    _proposal(tag)
    if target.pk == tag.pk:
        raise ValidationError({"target": _("Choose another tag to merge into.")})
    if TagTranslation.objects.filter(tag=target, status=TagTranslation.Status.PROPOSED).exists():
        raise ValidationError({"target": _("Merge into a tag of the vocabulary.")})
    repointed = tag_merge(target=target, duplicates=[tag])
    _vocabulary_changed([target.pk])
    return repointed


@transaction.atomic
def tag_reject(*, tag):
    """Remove a proposed tag nothing carries. A used one is merged into a tag instead, so that
    nobody's offers or needs are lost silently."""
    _proposal(tag)
    if annotate_usage(Tag.objects.filter(pk=tag.pk)).get().usage_count:
        raise ValidationError(
            _("This tag is in use: merge it into a tag of the vocabulary instead.")
        )
    if any(_drafts_carrying([tag.pk])):
        raise ValidationError(
            _(
                "This tag is in a draft not yet published: merge it into a tag of the "
                "vocabulary instead."
            )
        )
    tag.delete()
    vocabulary_tags.tags_changed()


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
    # A draft not yet published may carry a duplicate that no live row has.
    drafts = {}
    for model, parent_id in _drafts_carrying(duplicate_ids):
        drafts.setdefault(model, []).append(parent_id)
    for model, parent_ids in drafts.items():
        _rewrite_latest_revisions(model, parent_ids, target, duplicate_ids)
    Tag.objects.filter(pk__in=duplicate_ids).delete()
    return repointed


def _revisioned_parent(through_model):
    """(parent model, relation name) when ``through_model`` hangs from a model with
    revisions (a page's tags), else None."""
    parental = next(
        (f for f in through_model._meta.concrete_fields if isinstance(f, ParentalKey)), None
    )
    if parental is None or not issubclass(parental.related_model, RevisionMixin):
        return None
    return parental.related_model, parental.remote_field.get_accessor_name()


def _drafts_carrying(tag_ids):
    """(through model, parent id) for each object whose draft — a latest revision not yet
    published — carries one of ``tag_ids``: a use the tables of tagged items do not show."""
    tag_ids = set(tag_ids)
    for through_model in tag_through_models():
        found = _revisioned_parent(through_model)
        if found is None:
            continue
        parent_model, relation = found
        parents = parent_model._default_manager.filter(latest_revision__isnull=False)
        if any(f.name == "has_unpublished_changes" for f in parent_model._meta.fields):
            parents = parents.filter(has_unpublished_changes=True)
        for parent in parents.select_related("latest_revision"):
            items = parent.latest_revision.content.get(relation) or []
            if any(item.get("tag") in tag_ids for item in items):
                yield through_model, parent.pk


def _rewrite_latest_revisions(through_model, parent_ids, target, duplicate_ids):
    """Point the tags stored in the parents' latest revisions at ``target``, each once."""
    found = _revisioned_parent(through_model)
    if found is None:
        return
    parent_model, relation = found
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


def vocabulary_seed():
    """Make the tags the portal ships with (``taxonomy.vocabulary.TAGS``) part of the approved
    vocabulary, with their Spanish and Catalan names; existing tags and editors' wording are
    kept. Safe to run twice."""
    existing = set(Tag.objects.annotate(n=Lower("name")).values_list("n", flat=True))
    for name in TAGS:
        if name not in existing:
            Tag.objects.create(name=name)
    vocabulary_translate()


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
