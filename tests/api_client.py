"""Helpers for the API tests: a client that sends a user's token, and the users themselves."""

from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


def user_in(group, name=None):
    user = User.objects.create_user(name or f"{group.lower()}-user", password="x-unused-9!")
    user.groups.add(Group.objects.get(name=group))
    return user


def token_client(user):
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client
