"""Project signals → training services. Thin on purpose: the service decides."""

from django.dispatch import receiver

from projects.signals import team_access_revoked


@receiver(team_access_revoked, dispatch_uid="training.team_access_revoked")
def on_team_access_revoked(sender, project_id, user_ids, **kwargs):
    from .services import staff_end

    staff_end(project_id=project_id, user_ids=user_ids)
