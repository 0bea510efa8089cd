from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from partnernet.base.health import unapplied_migrations
from partnernet.exchange.backup import BackupFailed, BackupRefused
from partnernet.exchange.restore import restore


class Command(BaseCommand):
    help = (
        "Restore an archive of `partnernet backup` into an empty database of the same engine and an empty "
        "data folder (anything else exits 2 and changes nothing)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="the archive written by `partnernet backup`")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore(options["file"].resolve())
        except BackupRefused as error:
            raise CommandError(str(error), returncode=2) from None
        except BackupFailed as error:
            raise CommandError(str(error), returncode=1) from None
        self.stdout.write(
            f"Restored instance {manifest['instance']} (backed up {manifest['created']}, "
            f"{len(manifest['files'])} files)"
        )
        pending = unapplied_migrations()
        if pending:
            self.stdout.write(
                f"The backup is from an older release: run `partnernet migrate` ({pending} to apply)"
            )
