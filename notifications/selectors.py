from .models import Notification


def notification_list_unread(*, user, limit=20):
    return list(Notification.objects.filter(user=user, read_at__isnull=True)[:limit])
