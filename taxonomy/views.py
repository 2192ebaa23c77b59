"""The editors' review of proposed tags, in the Wagtail admin (Taxonomies → Proposed tags).

Reached by editors only: changing tag translations and deleting tags (a merge deletes the
proposal) are the editors' group's permissions (``home.permissions``). Each decision calls one
service of ``taxonomy.services``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from taggit.models import Tag
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import services
from .forms import TagReviewForm
from .models import TagTranslation

REVIEW_PERMISSIONS = ("taxonomy.change_tagtranslation", "taggit.change_tag", "taggit.delete_tag")


def can_review_tags(user):
    return user.is_active and user.has_perms(REVIEW_PERMISSIONS)


class _ReviewerOnly:
    def dispatch(self, request, *args, **kwargs):
        if not can_review_tags(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class TagProposalListView(_ReviewerOnly, WagtailAdminTemplateMixin, TemplateView):
    template_name = "taxonomy/admin/tag_proposals.html"
    page_title = gettext_lazy("Proposed tags")
    header_icon = "tag"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["proposals"] = list(services.tag_proposals())
        return context


class TagReviewView(_ReviewerOnly, WagtailAdminTemplateMixin, TemplateView):
    template_name = "taxonomy/admin/tag_review.html"
    page_title = gettext_lazy("Review a proposed tag")
    header_icon = "tag"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.tag = get_object_or_404(
            Tag.objects.select_related("translation__proposed_by"),
            pk=kwargs["tag_id"],
            translation__status=TagTranslation.Status.PROPOSED,
        )

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("tag_review:index"), "label": TagProposalListView.page_title},
            {"label": self.tag.name},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tag"] = self.tag
        context["usage"] = (
            services.annotate_usage(Tag.objects.filter(pk=self.tag.pk)).get().usage_count
        )
        context.setdefault("form", TagReviewForm(tag=self.tag))
        return context

    def post(self, request, *args, **kwargs):
        form = TagReviewForm(request.POST, tag=self.tag)
        if form.is_valid():
            try:
                message = self._decide(form)
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            else:
                messages.success(request, message)
                return redirect(reverse("tag_review:index"))
        messages.error(request, _("The tag was not changed: see the errors below."))
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def _decide(self, form):
        data = form.cleaned_data
        if data["decision"] == form.APPROVE:
            tag = services.tag_approve(
                tag=self.tag,
                name=data["name"],
                name_es=data["name_es"],
                name_ca=data["name_ca"],
            )
            return _("“%(tag)s” is now part of the vocabulary.") % {"tag": tag.name}
        if data["decision"] == form.MERGE:
            services.tag_proposal_merge(tag=self.tag, target=data["target"])
            return _("“%(tag)s” was merged into “%(target)s”.") % {
                "tag": self.tag.name,
                "target": data["target"].name,
            }
        name = self.tag.name
        services.tag_reject(tag=self.tag)
        return _("“%(tag)s” was rejected and removed.") % {"tag": name}
