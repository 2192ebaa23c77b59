from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChatRoom(models.Model):
    """Per-project chat state: the last allocated ``seq``.

    Incrementing ``last_seq`` with a single ``UPDATE … RETURNING`` locks the row for the rest
    of the transaction, so concurrent senders get contiguous, unique numbers on PostgreSQL and
    on SQLite alike.
    """

    project = models.OneToOneField(
        "projects.ProjectPage",
        on_delete=models.CASCADE,
        related_name="chat_room",
        primary_key=True,
    )
    last_seq = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("chat room")
        verbose_name_plural = _("chat rooms")


class Message(models.Model):
    project = models.ForeignKey(
        "projects.ProjectPage", on_delete=models.CASCADE, related_name="messages"
    )
    seq = models.PositiveBigIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="messages"
    )
    body = models.TextField(_("message"), max_length=4000)
    client_id = models.CharField(max_length=64)
    mentions = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "seq"], name="unique_message_seq"),
            models.UniqueConstraint(
                fields=["project", "author", "client_id"], name="unique_message_client_id"
            ),
        ]
        ordering = ["project_id", "seq"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self):
        return f"#{self.seq} in {self.project_id}"


class ReadMarker(models.Model):
    """How far a person has read a project's chat (only ever moves forward)."""

    project = models.ForeignKey(
        "projects.ProjectPage", on_delete=models.CASCADE, related_name="read_markers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="read_markers"
    )
    seq = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="unique_read_marker")
        ]


class Mention(models.Model):
    """A person named with @username in a message: drives the mention badge."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="mention_rows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_mentions"
    )
    project = models.ForeignKey("projects.ProjectPage", on_delete=models.CASCADE, related_name="+")
    seq = models.PositiveBigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "user"], name="unique_mention")]
        indexes = [models.Index(fields=["user", "project", "seq"])]
