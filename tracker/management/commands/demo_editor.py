import secrets

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand

from tracker.ops.roles import EDITORS


class Command(BaseCommand):
    help = "Create (or reset) the demo editor account and print its new password once."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="editor")

    def handle(self, *args, username, **options):
        password = secrets.token_urlsafe(12)
        user, created = User.objects.get_or_create(username=username)
        user.is_staff = True
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=EDITORS))
        verb = "Created" if created else "Reset the password of"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} the demo editor. Log in at http://127.0.0.1:8000/admin/")
            + f"\n  username: {username}\n  password: {password}\n"
            "  (shown once; run `python manage.py demo_editor` again for a new one)"
        )
