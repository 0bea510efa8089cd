from __future__ import annotations

import secrets
from argparse import ArgumentParser
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from partnernet.directory.models import Entity, Membership
from partnernet.directory.profiles import make_home_here
from partnernet.web.server import port_number, serve

DEMO_ADMIN = "demo-admin"


class Command(BaseCommand):
    help = (
        "Migrate, seed with --demo, create the demo administrator (a new random password is printed once "
        "on every run) and serve on 127.0.0.1 with the production server."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--port", type=port_number, default=8000, help="port on 127.0.0.1 (default 8000)")
        parser.add_argument(
            "--no-serve", action="store_true", help="prepare the demo, print the login, and exit"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("Preparing the demo (migrate and seed) …")
        call_command("seed", demo=True, stdout=self.stdout)
        password = reset_demo_admin()
        url = f"http://127.0.0.1:{options['port']}/"
        self.stdout.write("")
        self.stdout.write(f"Partnernet demo at {url}")
        self.stdout.write(f"Log in at {url}admin/ as {DEMO_ADMIN} with password: {password}")
        self.stdout.write("")
        self.stdout.flush()
        if not options["no_serve"]:
            serve(options["port"])


def reset_demo_admin() -> str:
    """Create or reset the demo administrator: superuser, and admin of two demo entities to act through."""
    password = secrets.token_urlsafe(12)
    user_model = get_user_model()
    with transaction.atomic():
        user, _ = user_model.objects.get_or_create(
            username=DEMO_ADMIN, defaults={"email": "demo-admin@localhost"}
        )
        user.is_staff = True
        user.is_superuser = True
        user.set_password(password)
        user.save()
        for key in ("demo-volunteer-accra", "wikimedia-sweden"):
            entity = Entity.objects.filter(key=key).first()
            if entity is not None:
                Membership.objects.get_or_create(
                    user=user, entity=entity, defaults={"role": Membership.Role.ADMIN}
                )
                make_home_here(None, entity)  # as if its claim were approved: its admin may edit its profile
    return password
