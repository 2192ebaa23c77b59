"""What Wagtail keeps about who wrote what: revisions, page owners, reviews, comments, uploads.

Organizations and projects are Wagtail pages, so applying, proposing and editing them leaves
rows in Wagtail's own tables. The export lists them (titles and dates, not the pages' content,
which belongs to the organization or project). Nothing needs forgetting by hand: each of these
foreign keys is ``SET_NULL`` (revisions, owners, locks, reviews, uploads) or cascades
(comments, replies, subscriptions) when the account row goes.
"""

from django.db.models import Q
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Comment,
    CommentReply,
    Page,
    PageSubscription,
    Revision,
    TaskState,
    WorkflowState,
)

from .personal_data import when

MODELS = (
    "wagtailcore.Revision",
    "wagtailcore.Page",
    "wagtailcore.WorkflowState",
    "wagtailcore.TaskState",
    "wagtailcore.Comment",
    "wagtailcore.CommentReply",
    "wagtailcore.PageSubscription",
    "wagtailimages.Image",
    "wagtaildocs.Document",
)


def authorship_personal_data(user):
    """One query per kind of row, whatever their number."""
    return {
        "revisions": [
            {
                "object": {"type": row.content_type.model, "id": row.object_id},
                "title": row.object_str,
                "created_at": when(row.created_at),
            }
            for row in Revision.objects.filter(user=user)
            .select_related("content_type")
            .order_by("created_at", "pk")
        ],
        "pages": [
            {
                "id": row.pk,
                "title": row.title,
                "owner": row.owner_id == user.pk,
                "locked_by_you": row.locked_by_id == user.pk,
            }
            for row in Page.objects.filter(Q(owner=user) | Q(locked_by=user)).order_by("pk")
        ],
        "submitted_for_review": [
            {
                "object": {"type": row.content_type.model, "id": row.object_id},
                "status": row.status,
                "created_at": when(row.created_at),
            }
            for row in WorkflowState.objects.filter(requested_by=user)
            .select_related("content_type")
            .order_by("created_at", "pk")
        ],
        "reviews": [
            {
                "status": row.status,
                "comment": row.comment,
                "finished_at": when(row.finished_at),
            }
            for row in TaskState.objects.filter(finished_by=user).order_by("finished_at", "pk")
        ],
        "comments": [
            {"page": row.page_id, "text": row.text, "created_at": when(row.created_at)}
            for row in Comment.objects.filter(user=user).order_by("created_at", "pk")
        ],
        "comment_replies": [
            {"comment": row.comment_id, "text": row.text, "created_at": when(row.created_at)}
            for row in CommentReply.objects.filter(user=user).order_by("created_at", "pk")
        ],
        "page_subscriptions": [
            {"page": row.page_id, "comment_notifications": row.comment_notifications}
            for row in PageSubscription.objects.filter(user=user).order_by("pk")
        ],
        "images": [
            {"id": row.pk, "title": row.title, "created_at": when(row.created_at)}
            for row in get_image_model()
            .objects.filter(uploaded_by_user=user)
            .order_by("created_at", "pk")
        ],
        "documents": [
            {"id": row.pk, "title": row.title, "created_at": when(row.created_at)}
            for row in get_document_model()
            .objects.filter(uploaded_by_user=user)
            .order_by("created_at", "pk")
        ],
    }
