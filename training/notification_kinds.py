"""The notifications this app sends (declared in ``wagtail_hooks`` for ``notifications``)."""

from django.utils.translation import gettext_lazy as _

AT_RISK = "training.at_risk"
MENTEE = "training.mentee"
MENTOR_ENDED = "training.mentor_ended"

LABELS = {
    AT_RISK: _("A learner may not complete their training"),
    MENTEE: _("A learner to mentor"),
    MENTOR_ENDED: _("A mentor from the volunteer network stopped mentoring"),
}
