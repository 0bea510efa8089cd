from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from partnernet.exchange.backup import BackupFailed, BackupRefused, backup


class Command(BaseCommand):
    help = (
        "Write one archive (FILE, a .tar.gz) with a manifest, a consistent copy of the database taken while "
        "the instance runs, the secret key, the federation key and the uploads. FILE must not exist."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="the archive to write (it must not exist)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup(options["file"].resolve())
        except BackupRefused as error:
            raise CommandError(str(error), returncode=2) from None
        except BackupFailed as error:
            raise CommandError(str(error), returncode=1) from None
        self.stdout.write(
            f"Backed up instance {manifest['instance']} ({manifest['engine']}, "
            f"{len(manifest['files'])} files) to {options['file']}"
        )
