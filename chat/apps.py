from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatConfig(AppConfig):
    name = "chat"
    verbose_name = _("Project chat")

    def ready(self):
        from projects.signals import team_access_revoked

        from .receivers import close_revoked_sockets

        team_access_revoked.connect(close_revoked_sockets, dispatch_uid="chat.close_revoked")
