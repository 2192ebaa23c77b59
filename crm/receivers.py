"""Partners' ``membership_ended`` → the person's CRM role ends with their membership."""

from django.dispatch import receiver

from partners.signals import membership_ended


@receiver(membership_ended, dispatch_uid="crm.membership_ended")
def on_membership_ended(sender, organization_id, user_id, by_id=None, **kwargs):
    from .services import crm_membership_ended

    crm_membership_ended(organization_id=organization_id, user_id=user_id)
