"""Messages of Django and django-allauth that the portal translates itself.

The project's catalogue (``LOCALE_PATHS``) is read before the apps' own, so a message listed
here and translated in ``locale/`` replaces the third party's translation. Listing the messages
in code keeps them in the catalogue when ``makemessages`` re-extracts it. They are here for:

- one register: the portal speaks to people with "tú" and "tu", while allauth's and Django's
  Spanish and Catalan sign-up, sign-in and password pages and e-mails use "usted", "vostè" or
  "vós";
- a message Django's own Catalan catalogue lacks (the current password-length message).

Each entry is the third party's exact message id: nothing here is shown by the portal itself.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# django.contrib.auth.password_validation
PASSWORD_VALIDATION = (
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
    ),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
    gettext_noop("Enter a valid email address."),
)

# allauth's account pages (sign-up, sign-in, password reset and change) and their e-mails
ALLAUTH_ACCOUNT = (
    gettext_noop("Forgot your password?"),
    gettext_noop("Send me a sign-in code"),
    gettext_noop("You must type the same password each time."),
    gettext_noop("You must type the same email each time."),
    gettext_noop(
        "You're receiving this email because user %(user_display)s has given your email "
        "address to register an account on %(site_domain)s."
    ),
    gettext_noop(
        "Your email verification code is listed below. Please enter it in your open browser "
        "window."
    ),
    gettext_noop("To confirm this is correct, go to %(activate_url)s"),
    gettext_noop("Please Confirm Your Email Address"),
    gettext_noop("Your password has been changed."),
    gettext_noop("Password Changed"),
    gettext_noop(
        "You're receiving this email because you or someone else has requested a password "
        "reset for your user account.\nIt can be safely ignored if you did not request a "
        "password reset. Click the link below to reset your password."
    ),
    gettext_noop("In case you forgot, your username is %(username)s."),
    gettext_noop("Your password has been set."),
    gettext_noop(
        "If you have not created an account yet, then please %(link)ssign up%(end_link)s first."
    ),
    gettext_noop(
        "Forgotten your password? Enter your email address below, and we'll send you an email "
        "allowing you to reset it."
    ),
    gettext_noop("Please contact us if you have any trouble resetting your password."),
    gettext_noop(
        "We have sent you an email. If you have not received it please check your spam folder. "
        "Otherwise contact us if you do not receive it in a few minutes."
    ),
    gettext_noop(
        "The password reset link was invalid, possibly because it has already been used.  "
        'Please request a <a href="%(passwd_reset_url)s">new password reset</a>.'
    ),
    gettext_noop("Your password is now changed."),
    gettext_noop("Already have an account? Then please %(link)ssign in%(end_link)s."),
)
