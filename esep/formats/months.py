"""Month names inside a date.

Django's Kazakh catalogue capitalises month names ("Қараша"); inside a Kazakh date they are written in
lowercase ("10 қараша"). Django takes the in-date form from the "alt. month" context; marking the twelve names
here puts them in Esep's catalogues, whose Kazakh entries carry the lowercase forms (the Russian and English
entries repeat Django's genitive and plain names).
"""

from django.utils.translation import pgettext_lazy

ALT_MONTHS = (
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
)
