"""Contacts (the customers of one channel), their blacklist state, contact lists and notes."""

import uuid

from django.db import models

from inbox.models.channels import ChannelScopedQuerySet


class Contact(models.Model):
    """A customer on one channel, identified by JID. A blacklisted contact's messages are ignored and nothing can be
    sent to it."""

    channel = models.ForeignKey("inbox.Channel", on_delete=models.CASCADE, related_name="contacts")
    jid = models.CharField(max_length=200)
    name = models.CharField(max_length=200, blank=True)
    reference = models.CharField(max_length=200, blank=True)
    remarks = models.TextField(blank=True)
    type = models.CharField(max_length=32, default="INDIVIDUAL")
    blacklisted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ChannelScopedQuerySet.as_manager()

    class Meta:
        ordering = ["channel_id", "jid"]
        constraints = [models.UniqueConstraint(fields=["channel", "jid"], name="inbox_contact_jid_unique")]

    def __str__(self) -> str:
        return f"{self.name} <{self.jid}>" if self.name else self.jid

    @property
    def blacklisted(self) -> bool:
        return self.blacklisted_at is not None


class ContactList(models.Model):
    """A named list of a channel's contacts (made in the console; the API changes who is on it)."""

    channel = models.ForeignKey("inbox.Channel", on_delete=models.CASCADE, related_name="contact_lists")
    jid = models.CharField(max_length=200, unique=True)
    name = models.CharField(max_length=100)
    remarks = models.TextField(blank=True)
    contacts = models.ManyToManyField(Contact, blank=True, related_name="lists")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChannelScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class NoteQuerySet(ChannelScopedQuerySet):
    team_lookup = "contact__channel__team"


class Note(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="notes")
    body = models.TextField(blank=True)
    reference_id = models.CharField(max_length=100, blank=True)
    is_pinned = models.BooleanField(default=False)
    is_read_only = models.BooleanField(default=False)
    created_by = models.CharField(max_length=254, blank=True, help_text="The agent's email (or assistant's JID).")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NoteQuerySet.as_manager()

    class Meta:
        ordering = ["-is_pinned", "created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]
