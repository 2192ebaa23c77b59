"""Project signals → training services. Thin on purpose: the service decides."""

from django.dispatch import receiver

from core.volunteering import volunteer_left, volunteer_mentoring_withdrawn
from projects.signals import team_access_revoked


@receiver(team_access_revoked, dispatch_uid="training.team_access_revoked")
def on_team_access_revoked(sender, project_id, user_ids, **kwargs):
    from .services import staff_end

    staff_end(project_id=project_id, user_ids=user_ids)


@receiver(volunteer_left, dispatch_uid="training.volunteer_left")
def on_volunteer_left(sender, user_id, **kwargs):
    from .services import network_mentorships_end

    network_mentorships_end(user_id=user_id)


@receiver(volunteer_mentoring_withdrawn, dispatch_uid="training.volunteer_mentoring_withdrawn")
def on_volunteer_mentoring_withdrawn(sender, user_id, **kwargs):
    from .services import network_mentorships_end

    network_mentorships_end(user_id=user_id)
