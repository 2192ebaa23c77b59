"""Background work of notifications on Django's tasks framework (run by ``db_worker``)."""

from django_tasks import task

from . import mail


@task()
def mail_deliver_task(mail_id):
    return mail.mail_deliver(mail_id)


@task()
def digests_send_task():
    from .digest import digests_send

    return digests_send()
