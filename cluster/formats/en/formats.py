"""English dates day first (7/12/2026, 7 Dec 2026), as the cluster's readers in Europe write
them and as the Spanish and Catalan pages do: Django's ``en`` formats are the United States'."""

from django.conf.locale.en_GB.formats import *  # noqa: F403
