"""factory-boy factories for the neighbourhood model."""

import factory

from heelwijk.accounts.models import User
from heelwijk.neighbourhood.models import Area, Household, Neighbourhood, Organisation, Person, Role

PASSWORD = "correct-horse-battery"


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighbourhood

    name = factory.Sequence(lambda n: f"Wijk {n}")
    slug = factory.Sequence(lambda n: f"wijk-{n}")
    municipality = "Rijnstede"
    cbs_code = factory.Sequence(lambda n: f"WK{9900 + n:04d}01")


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    name = factory.Sequence(lambda n: f"Buurt {n}")


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    area = factory.SubFactory(AreaFactory)
    neighbourhood = factory.SelfAttribute("area.neighbourhood")
    street = "Lindelaan"
    house_number = factory.Sequence(lambda n: n + 1)
    postcode = "1234 AB"
    city = "Rijnstede"
    composition = Household.Composition.COUPLE
    size = 2


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    household = factory.SubFactory(HouseholdFactory)
    neighbourhood = factory.SelfAttribute("household.neighbourhood")
    first_name = factory.Sequence(lambda n: f"Anna{n}")
    last_name = "Jansen"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = Organisation.Kind.COMPANY


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    user = factory.SubFactory(UserFactory)
    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    kind = Role.Kind.STAFF
