"""The organization's private CRM at /portal/organizations/<id>/contacts/.

Outcomes: anonymous → sign-in; not a member of the organization (its other organizations'
admins, editors and superusers included) → 403; a member without the CRM role the page needs →
403; a contact id of another organization's book → 404 (it does not exist here); bad input →
the form again with messages, nothing stored.
"""

import csv
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.confirm import confirm_page
from core.personal_data import when
from partners.models import Membership, PartnerPage

from . import imports, selectors, services
from .forms import (
    ConsentForm,
    ContactForm,
    CustomFieldForm,
    ExportForm,
    ImportForm,
    InteractionForm,
    MappingForm,
    MergeForm,
    RelationshipForm,
    RoleForm,
    SegmentForm,
    WithdrawForm,
)
from .models import Contact, ContactImport, CrmRole, CustomField, Segment, Tag
from .permissions import access_for


class Crm:
    def __init__(self, organization, book, access):
        self.organization, self.book, self.access = organization, book, access


def _crm(request, page_id, need):
    organization = get_object_or_404(PartnerPage, pk=page_id)
    book = selectors.book_for(organization)
    access = access_for(request.user, organization, book)
    if not access.member and not organization.live:
        raise Http404
    if not getattr(access, need):
        raise PermissionDenied
    if book is None:
        book = services.book_get_or_create(organization)
    return Crm(organization, book, access)


def _contact(crm, contact_id):
    contact = selectors.contact_get(crm.book, contact_id)
    if contact is None:
        raise Http404
    return contact


def _list_url(crm):
    return reverse("portal:crm_contact_list", args=[crm.organization.pk])


def _detail_url(crm, contact):
    return reverse("portal:crm_contact_detail", args=[crm.organization.pk, contact.pk])


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _render(request, template, crm, **context):
    return render(
        request,
        f"crm/{template}",
        {"organization": crm.organization, "access": crm.access, **context},
    )


@login_required
def contact_list(request, page_id):
    crm = _crm(request, page_id, "view")
    tags = list(Tag.objects.filter(book=crm.book))
    try:
        tag = int(request.GET.get("tag") or 0) or None
    except ValueError:
        tag = None
    sort = request.GET.get("sort") or "name"
    query = request.GET.get("q", "")[:100]
    rows = selectors.contact_list(
        crm.book, q=query, tag=tag, role=request.GET.get("role", "")[:20], sort=sort
    )
    page_obj = Paginator(rows, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    keep = request.GET.copy()
    keep.pop("page", None)
    return _render(
        request,
        "contact_list.html",
        crm,
        page_obj=page_obj,
        contacts=list(page_obj),
        tags=tags,
        tag=tag,
        sort=sort,
        query=query,
        roles=Contact.Role.choices,
        querystring=keep.urlencode(),
        sorts=[
            ("name", _("Name")),
            ("-last_contact", _("Most recent contact")),
            ("last_contact", _("Longest without contact")),
            ("-created", _("Newest")),
        ],
    )


@login_required
def contact_create(request, page_id):
    crm = _crm(request, page_id, "change")
    form = ContactForm(
        request.POST or None, custom_fields=CustomField.objects.filter(book=crm.book)
    )
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_create(
                book=crm.book, by=request.user, **form.service_kwargs()
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Contact added."))
            return redirect(_detail_url(crm, contact))
    return _render(request, "contact_form.html", crm, form=form, contact=None)


@login_required
def contact_detail(request, page_id, contact_id):
    crm = _crm(request, page_id, "view")
    contact = _contact(crm, contact_id)
    history = selectors.consent_history(contact)
    current = selectors.consent_current(history)
    return _render(
        request,
        "contact_detail.html",
        crm,
        contact=contact,
        history=history,
        current=sorted(current.values(), key=lambda c: (c.purpose, c.channel)),
        timeline=selectors.timeline(contact, crm.organization.pk),
        consent_form=ConsentForm(),
        interaction_form=InteractionForm(),
        relationships=selectors.relationships(contact),
        relationship_form=RelationshipForm(),
        contact_roles=[str(dict(Contact.Role.choices).get(r, r)) for r in contact.roles],
        custom_values=[
            (f, f.display(contact.custom.get(f.key)))
            for f in CustomField.objects.filter(book=crm.book)
            if contact.custom.get(f.key) not in (None, "")
        ],
    )


@login_required
def contact_edit(request, page_id, contact_id):
    crm = _crm(request, page_id, "change")
    contact = _contact(crm, contact_id)
    if contact.anonymised_at:
        raise PermissionDenied
    form = ContactForm(
        request.POST or None,
        initial=ContactForm.initial_for(contact),
        custom_fields=CustomField.objects.filter(book=crm.book),
        contact=contact,
        accounts=selectors.linkable_accounts(contact),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_update(contact=contact, by=request.user, **form.service_kwargs())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Contact saved."))
            return redirect(_detail_url(crm, contact))
    return _render(request, "contact_form.html", crm, form=form, contact=contact)


@login_required
@require_POST
def contact_consent(request, page_id, contact_id):
    crm = _crm(request, page_id, "change")
    contact = _contact(crm, contact_id)
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.consent_record(contact=contact, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Consent recorded."))
    else:
        messages.error(request, _("The consent was not recorded: check every field."))
    return redirect(_detail_url(crm, contact))


@login_required
@require_POST
def contact_withdraw(request, page_id, contact_id):
    crm = _crm(request, page_id, "change")
    contact = _contact(crm, contact_id)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        services.consent_withdraw(contact=contact, by=request.user, **form.cleaned_data)
        messages.success(request, _("Consent withdrawn."))
    else:
        messages.error(request, _("Nothing was withdrawn: unknown purpose or channel."))
    return redirect(_detail_url(crm, contact))


@login_required
@require_POST
def contact_interaction(request, page_id, contact_id):
    crm = _crm(request, page_id, "change")
    contact = _contact(crm, contact_id)
    form = InteractionForm(request.POST)
    if form.is_valid():
        try:
            services.interaction_add(contact=contact, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Interaction recorded."))
    else:
        messages.error(request, _("The interaction was not recorded: check every field."))
    return redirect(_detail_url(crm, contact))


@login_required
@require_POST
def contact_relationship(request, page_id, contact_id):
    crm = _crm(request, page_id, "change")
    contact = _contact(crm, contact_id)
    form = RelationshipForm(request.POST)
    other = selectors.contact_get(crm.book, form.data.get("other")) if form.is_valid() else None
    if other is None:
        messages.error(request, _("No contact of the organization has that number."))
    else:
        try:
            services.relationship_add(contact=contact, other=other, kind=form.cleaned_data["kind"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Relationship recorded."))
    return redirect(_detail_url(crm, contact))


@login_required
@require_POST
def contact_anonymise(request, page_id, contact_id):
    crm = _crm(request, page_id, "change")
    contact = _contact(crm, contact_id)
    services.contact_anonymise(contact=contact, by=request.user)
    messages.success(request, _("The contact was anonymised."))
    return redirect(_detail_url(crm, contact))


@login_required
def contact_data(request, page_id, contact_id):
    """Everything the organization holds about one contact, as JSON: the answer to a person
    (with or without an account) who asks for their data."""
    crm = _crm(request, page_id, "export")
    contact = _contact(crm, contact_id)
    data = {
        "name": contact.name,
        "kind": contact.kind,
        "emails": [e.email for e in contact.emails.all()],
        "phones": [p.number for p in contact.phones.all()],
        "address": contact.address,
        "language": contact.language,
        "roles": contact.roles,
        "tags": [t.name for t in contact.tags.all()],
        "source": contact.source,
        "notes": contact.notes,
        "created": when(contact.created_at),
        "consents": [
            {
                "purpose": c.purpose,
                "channel": c.channel,
                "status": c.status,
                "legal_basis": c.legal_basis,
                "when": when(c.recorded_at),
                "how": c.method,
                "notice_version": c.notice_version,
            }
            for c in selectors.consent_history(contact)
        ],
        "interactions": [
            {"kind": i.kind, "when": when(i.happened_at), "summary": i.summary}
            for i in selectors.interactions(contact)
        ],
    }
    services.export_record(book=crm.book, by=request.user, count=1, purpose="data", channel="json")
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="contact-{contact.pk}.json"'
    return response


@login_required
def duplicates(request, page_id):
    crm = _crm(request, page_id, "change")
    return _render(request, "duplicates.html", crm, groups=selectors.duplicate_groups(crm.book))


@login_required
@require_POST
def merge(request, page_id):
    crm = _crm(request, page_id, "change")
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the two contacts to merge."))
        return redirect("portal:crm_duplicates", crm.organization.pk)
    keep = _contact(crm, form.cleaned_data["keep"])
    other = _contact(crm, form.cleaned_data["other"])
    try:
        keep = services.contacts_merge(keep=keep, other=other, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("portal:crm_duplicates", crm.organization.pk)
    messages.success(request, _("Contacts merged; both consent histories are kept."))
    return redirect(_detail_url(crm, keep))


@login_required
def import_contacts(request, page_id):
    """Upload a CSV file: it is checked whole (nothing is kept if it is bad), then the person
    maps its columns. Below, the import log."""
    crm = _crm(request, page_id, "change")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact_import = services.import_upload(
                book=crm.book, by=request.user, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("portal:crm_import_detail", crm.organization.pk, contact_import.pk)
    return _render(
        request,
        "import.html",
        crm,
        form=form,
        log=list(ContactImport.objects.filter(book=crm.book).select_related("by")[:50]),
        aliases=imports.ALIASES,
    )


@login_required
def import_detail(request, page_id, import_id):
    """A pending upload: map its columns, then preview (the dry run) or import, both run in the
    background; what the last preview found is shown. A running one: its progress bar, the
    page refreshing itself. A finished one: its log entry."""
    crm = _crm(request, page_id, "change")
    contact_import = (
        ContactImport.objects.filter(book=crm.book, pk=import_id).select_related("by").first()
    )
    if contact_import is None:
        raise Http404
    here = reverse("portal:crm_import_detail", args=[crm.organization.pk, contact_import.pk])
    Status = ContactImport.Status
    stalled = (
        contact_import.status == Status.RUNNING
        and contact_import.started_at is not None
        and contact_import.started_at < timezone.now() - services.IMPORT_STALLED
    )
    if request.method == "POST" and "discard" in request.POST:
        if contact_import.status == Status.PENDING or stalled:
            services.import_discard(contact_import=contact_import)
            messages.success(request, _("The file was discarded."))
            return redirect("portal:crm_import", crm.organization.pk)
        return redirect(here)
    form = None
    if contact_import.status == Status.PENDING:
        form = MappingForm(
            request.POST or None,
            header=contact_import.header,
            initial_mapping=contact_import.mapping,
            custom_fields=list(CustomField.objects.filter(book=crm.book)),
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.import_start(
                    contact_import=contact_import,
                    mapping=form.mapping(),
                    by=request.user,
                    dry_run="run" not in request.POST,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect(here)
    elif request.method == "POST":
        return redirect(here)
    report = contact_import.report or {}
    return _render(
        request,
        "import_detail.html",
        crm,
        contact_import=contact_import,
        form=form,
        report=report,
        refused=bool(report.get("error") or (report and not report.get("dry_run"))),
        progress=(
            imports.progress_get(contact_import.pk)
            if contact_import.status == Status.RUNNING
            else None
        ),
        stalled=stalled,
    )


@login_required
def export_contacts(request, page_id):
    """A CSV for a mailing: only contacts whose consent covers the purpose on the channel.
    Every download is in the audit trail with who and how many."""
    crm = _crm(request, page_id, "export")
    tags = list(Tag.objects.filter(book=crm.book))
    form = ExportForm(
        request.GET or None, tags=tags, custom_fields=CustomField.objects.filter(book=crm.book)
    )
    if not request.GET or not form.is_valid():
        return _render(request, "export.html", crm, form=form)
    data = form.cleaned_data
    extra = data["extra"]
    rows = selectors.consenting_contacts(
        crm.book, purpose=data["purpose"], channel=data["channel"], tag=data["tag"]
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="contacts-{data["purpose"]}-{data["channel"]}.csv"'
    )
    response.write("\ufeff")
    writer = csv.writer(response)
    columns = [c for c in ExportForm.EXTRA if c in extra]
    custom = [f for key, f in form.custom_fields.items() if key in extra]
    writer.writerow(
        ["name", "kind", "language", "email", "phone", *columns, *[f.name for f in custom]]
    )
    role_labels = dict(Contact.Role.choices)
    count = 0
    for contact in rows.iterator(chunk_size=2000):
        emails = [e.email for e in contact.emails.all()]
        phones = [p.number for p in contact.phones.all()]
        line = [contact.name, contact.kind, contact.language, emails[0] if emails else ""]
        line.append(phones[0] if phones else "")
        for column in columns:
            if column == "roles":
                line.append(", ".join(str(role_labels.get(r, r)) for r in contact.roles))
            else:
                line.append(getattr(contact, column))
        line += [f.display(contact.custom.get(f.key)) for f in custom]
        writer.writerow([_safe_cell(v) for v in line])
        count += 1
    services.export_record(
        book=crm.book,
        by=request.user,
        count=count,
        purpose=data["purpose"],
        channel=data["channel"],
        columns=[*columns, *[f.name for f in custom]],
    )
    return response


def _safe_cell(value):
    # A spreadsheet would run a cell starting with one of these as a formula.
    value = str(value or "")
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@login_required
def retention(request, page_id):
    crm = _crm(request, page_id, "change")
    years = getattr(settings, "CRM_RETENTION_YEARS", 3)
    rows = selectors.retention_candidates(crm.book, years=years)
    page_obj = Paginator(rows, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(
        request, "retention.html", crm, page_obj=page_obj, contacts=list(page_obj), years=years
    )


@login_required
def custom_fields(request, page_id):
    """The organization's own contact fields: viewers see them, editors add and remove them."""
    crm = _crm(request, page_id, "view")
    form = CustomFieldForm(request.POST or None)
    if request.method == "POST":
        if not crm.access.change:
            raise PermissionDenied
        if "delete" in request.POST:
            raw = request.POST["delete"]
            definition = None
            if raw.isdigit() and len(raw) < 10:
                definition = CustomField.objects.filter(book=crm.book, pk=int(raw)).first()
            if definition is None:
                raise Http404
            services.custom_field_delete(definition=definition)
            messages.success(request, _("Custom field removed."))
            return redirect("portal:crm_custom_fields", crm.organization.pk)
        if form.is_valid():
            try:
                services.custom_field_create(book=crm.book, **form.cleaned_data)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Custom field added."))
                return redirect("portal:crm_custom_fields", crm.organization.pk)
    return _render(
        request,
        "custom_fields.html",
        crm,
        form=form,
        definitions=list(CustomField.objects.filter(book=crm.book)),
    )


def _chosen_ids(values):
    ids = []
    for value in values:
        for part in str(value).split(","):
            if part.strip().isdigit() and len(part.strip()) < 10:
                ids.append(int(part))
    return list(dict.fromkeys(ids))[: services.BULK_ANONYMISE_MAX]


@login_required
def retention_anonymise(request, page_id):
    """The contacts chosen in the retention list (GET: the confirmation; POST: anonymise them
    all, one audit entry with the count)."""
    crm = _crm(request, page_id, "change")
    years = getattr(settings, "CRM_RETENTION_YEARS", 3)
    back = reverse("portal:crm_retention", args=[crm.organization.pk])
    source = request.POST if request.method == "POST" else request.GET
    ids = _chosen_ids(source.getlist("contact"))
    if not ids:
        messages.error(request, _("Choose at least one contact of the list."))
        return redirect(back)
    if request.method == "POST":
        count = services.contacts_anonymise_retained(
            book=crm.book, ids=ids, by=request.user, years=years
        )
        messages.success(
            request,
            ngettext("%(n)s contact anonymised.", "%(n)s contacts anonymised.", count)
            % {"n": count},
        )
        return redirect(back)
    count = selectors.retention_candidates(crm.book, years=years).filter(pk__in=ids).count()
    return confirm_page(
        request,
        title=_("Anonymise contacts"),
        question=ngettext("Anonymise %(n)s contact?", "Anonymise %(n)s contacts?", count)
        % {"n": count},
        consequence=_(
            "Their names, e-mails, phones, addresses, notes and custom fields are blanked for "
            "good; the consent history and the dates stay, naming no one."
        ),
        action_label=_("Anonymise"),
        cancel_url=back,
        fields={"contact": ",".join(str(i) for i in ids)},
    )


@login_required
def roles(request, page_id):
    """The organization's admins give its members a CRM role, or take it away."""
    crm = _crm(request, page_id, "manage_roles")
    members = list(
        Membership.objects.filter(organization=crm.organization)
        .select_related("user")
        .order_by("user__username")
    )
    form = RoleForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        member = next(m.user for m in members if m.user_id == form.cleaned_data["user"])
        if form.cleaned_data["role"]:
            services.crm_role_set(
                organization=crm.organization,
                user=member,
                role=form.cleaned_data["role"],
                by=request.user,
            )
        else:
            services.crm_role_remove(organization=crm.organization, user=member, by=request.user)
        messages.success(request, _("CRM roles saved."))
        return redirect("portal:crm_roles", crm.organization.pk)
    by_user = {r.user_id: r for r in selectors.roles_of(crm.book)}
    return _render(
        request,
        "roles.html",
        crm,
        form=form,
        rows=[(m, by_user.get(m.user_id)) for m in members],
        role_labels=dict(CrmRole.Role.choices),
    )


@login_required
def segments(request, page_id):
    """Saved filters for mailings; viewers read them, editors add them."""
    crm = _crm(request, page_id, "view")
    tags = list(Tag.objects.filter(book=crm.book))
    form = SegmentForm(request.POST or None, tags=tags)
    if request.method == "POST":
        if not crm.access.change:
            raise PermissionDenied
        if form.is_valid():
            try:
                segment = services.segment_create(book=crm.book, **form.service_kwargs())
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Segment saved."))
                return redirect("portal:crm_segment_detail", crm.organization.pk, segment.pk)
    rows = list(Segment.objects.filter(book=crm.book).select_related("tag"))
    return _render(request, "segments.html", crm, form=form, segments=rows)


@login_required
def segment_detail(request, page_id, segment_id):
    crm = _crm(request, page_id, "view")
    segment = Segment.objects.filter(book=crm.book, pk=segment_id).select_related("tag").first()
    if segment is None:
        raise Http404
    rows = selectors.consenting_contacts(
        crm.book, purpose=segment.purpose, channel=segment.channel, tag=segment.tag_id
    )
    page_obj = Paginator(rows, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    export_query = f"purpose={segment.purpose}&channel={segment.channel}"
    if segment.tag_id:
        export_query += f"&tag={segment.tag_id}"
    return _render(
        request,
        "segment_detail.html",
        crm,
        segment=segment,
        page_obj=page_obj,
        contacts=list(page_obj),
        export_query=export_query,
    )
