"""factory_boy factories for the shared domain model (no fixture files)."""

import factory
from django.utils import timezone

from accounts.models import Device, Membership, Team, User
from messaging.models import IndividualGroup, MessageTemplate, TextAccount, TextNumber


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    phone = factory.Sequence(lambda n: f"+7916{n:07d}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    slug = factory.Sequence(lambda n: f"user-{n}")
    status = User.Status.ACTIVE
    phone_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery-staple")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)
    status = Membership.Status.MEMBER


class DeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Device

    user = factory.SubFactory(UserFactory)
    device_id = factory.Sequence(lambda n: f"device-{n}")
    type = Device.Type.ANDROID
    name = "Pixel"


class TextAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TextAccount

    team = factory.SubFactory(TeamFactory)
    phone_number = factory.Sequence(lambda n: f"+1202555{n:04d}")


class TextNumberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TextNumber

    account = factory.SubFactory(TextAccountFactory)
    phone_number = factory.Sequence(lambda n: f"+1303555{n:04d}")


class MessageTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MessageTemplate

    team = factory.SubFactory(TeamFactory)
    template_id = factory.Sequence(lambda n: f"template-{n}")
    name = "Shift reminder"
    sms_body = "Hi {{ first_name }}, your shift starts {{ start }}."
    push_title = "Shift at {{ start }}"
    push_body = "Hi {{ first_name }}, see you at {{ start }}."
    push_category = "shift"
    email_subject = "Your shift at {{ start }}"
    email_text = "Hi {{ first_name }}, your shift starts {{ start }}."
    email_html = "<p>Hi {{ first_name }}, your shift starts <b>{{ start }}</b>.</p>"


class IndividualGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndividualGroup

    team = factory.SubFactory(TeamFactory)
    name = factory.Sequence(lambda n: f"Group {n}")
