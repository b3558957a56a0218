"""Create the first analyst login, once, with a random password printed a single time.

Used by `make run` on a fresh install so that nobody ever runs with a fixed default password.
"""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the 'analyst' login (Analyst + Reviewer groups) if it does not exist yet."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="analyst")

    def handle(self, *args, username, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"The login '{username}' already exists; its password is unchanged.")
            return
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(username=username, password=password, is_staff=True)
        user.groups.set(Group.objects.filter(name__in=["Analyst", "Reviewer"]))
        self.stdout.write(
            self.style.SUCCESS(
                f"Created the login '{username}' with password: {password}\n"
                "It is shown only this once: write it down (change it in /admin/password_change/)."
            )
        )
