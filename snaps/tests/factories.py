from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.tests.factories import UserFactory
from snaps.models import Snap


class SnapFactory(DjangoModelFactory):
    class Meta:
        model = Snap

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"snippet_{n}")
    extension = "py"
    content = factory.Faker("text", max_nb_chars=200)
    visibility = Snap.Visibility.PUBLIC

    class Params:
        expired = factory.Trait(
            expires_at=factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=1))
        )
        private = factory.Trait(visibility=Snap.Visibility.PRIVATE)
        unlisted = factory.Trait(visibility=Snap.Visibility.UNLISTED)
