import factory
from factory.django import DjangoModelFactory

from accounts.tests.factories import UserFactory
from social.models import Follow, Post


class PostFactory(DjangoModelFactory):
    class Meta:
        model = Post

    user = factory.SubFactory(UserFactory)
    content = factory.Faker("sentence")


class FollowFactory(DjangoModelFactory):
    class Meta:
        model = Follow

    follower = factory.SubFactory(UserFactory)
    followed = factory.SubFactory(UserFactory)
