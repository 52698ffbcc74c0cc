"""Tommy (/api/v1/) contacts routes; `contacts/import` before `contacts/{friend_id}`, trailing slash optional."""

from django.urls import re_path

from accounts.api.tommy import contacts

FRIEND = r"(?P<friend_id>[0-9]{1,18})"

urlpatterns = [
    re_path(r"^contacts/?$", contacts.ContactListView.as_view(), name="contacts"),
    re_path(r"^contacts/import/?$", contacts.ContactImportView.as_view(), name="contacts-import"),
    re_path(rf"^contacts/{FRIEND}/?$", contacts.ContactDetailView.as_view(), name="contact-detail"),
    re_path(rf"^contacts/{FRIEND}/add/?$", contacts.ContactAddView.as_view(), name="contact-add"),
    re_path(rf"^contacts/{FRIEND}/invite/?$", contacts.ContactInviteView.as_view(), name="contact-invite"),
    re_path(rf"^contacts/{FRIEND}/accept/?$", contacts.ContactAcceptView.as_view(), name="contact-accept"),
    re_path(rf"^contacts/{FRIEND}/decline/?$", contacts.ContactDeclineView.as_view(), name="contact-decline"),
]
