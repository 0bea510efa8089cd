"""The ``partnernet`` command: the stable verbs of FORMATS.md, and every Django management command besides.

Verbs are Django management commands underneath; this entry point only sets the settings module, maps the
verbs whose names Python cannot use as module names, and hands over. Status 2 is for the user's mistakes
(bad arguments, bad input files), 1 for failures that are not the user's.
"""

from __future__ import annotations

import os
import sys

VERBS = {
    "demo": "demo",
    "serve": "serve",
    "seed": "seed",
    "import": "import_rows",
    "export": "export",
    "generate": "generate",
    "proposal": "proposal",
    "impact": "impact",
    "federation": "federation",
    "analyze": "analyze",
    "route": "route",
    "rebalance": "rebalance",
    "worker": "worker",
    "entity": "entity",
    "backup": "backup",
    "restore": "restore",
}
PREFLIGHT = frozenset(VERBS) - {"migrate", "seed", "demo", "restore"}
"""The verbs of FORMATS.md that need a working, migrated database: each checks it first (``preflight``) and
stops with one clear line and status 1 when it cannot. ``seed`` and ``demo`` migrate themselves, ``restore``
needs an empty database, and Django's own commands (``migrate`` …) are left as Django made them."""
UNCHECKED = PREFLIGHT - {"serve", "worker"}
"""Verbs that skip Django's system checks (settings, URLs, models: about a CPU second at every start). The
preflight has checked the database they need; the checks run where they protect something — when ``serve``
and ``worker`` start, at ``migrate``, and in CI (tests/test_settings.py runs ``check --deploy``). A script
calling ``export`` or ``federation sync`` in a loop pays only for its work."""
USAGE = """usage: partnernet VERB [options]

verbs:
  demo [--port P]                      migrate, seed --demo, print a demo login, serve on 127.0.0.1
  serve [--port P] [--workers N] [--threads T]
                                       serve with the production WSGI server on 127.0.0.1
  seed [--demo]                        load the taxonomy, M49 regions and the real movement entities
  import KIND FILE                     upsert rows from a .csv or .jsonl file, all or nothing
  export KIND [--format csv|jsonl] [--output FILE] [--origin local|all]
  generate --entities N --partnerships M [--stewardships S] [--requests R] [--seed S]
  proposal list [--open] [--json]      proposals of the agreement process, with their tallies
  impact fetch [--partnership KEY]     fetch outcome figures from Wikimedia's public APIs
  impact import FILE | impact export   outcome figures from and to .csv / .jsonl files
  federation add URL --fingerprint FP [--movement] | peers | status [URL] | sync [URL]
  federation suspend|resume|remove URL [--dry-run] | move URL NEW_URL | key rotate|replace
  analyze [--json] [--level subregion|region] [--snapshot]
                                       decentralisation, coverage and sustainability report
  route --type T [--theme H] --region R [--need N] [--language L] [--json]
                                       rank the stewards for such a request, with reasons; changes nothing
  rebalance [--dry-run] [--json]       reassign open and offered requests optimally under capacities
  worker                               run background tasks (SLA escalation, proposals, fetches, sync)
  entity home KEY | entity move-home KEY --to INSTANCE_ID
                                       where a seeded entity is homed; move its home (audited, on both)
  backup FILE | restore FILE           one archive of the database, key and secret files, and uploads

KIND is one of: entities, partners, stewardships, partnerships, requests, profiles.
Every other verb is a Django management command (partnernet migrate, partnernet createsuperuser, ...);
`partnernet help` lists them and `partnernet VERB --help` explains one.
"""


def _fail(message: str) -> None:
    sys.stderr.write(f"partnernet: {message}\n")
    sys.exit(1)


def _setup() -> None:
    """Load the settings and apps; a broken configuration (a malformed ``DATABASE_URL`` …) is one line."""
    import django

    try:
        django.setup()
    except Exception as error:
        _fail(f"cannot start: {str(error).strip().splitlines()[0] if str(error).strip() else error!r}")


def preflight(verb: str, command: str, rest: list[str]) -> None:
    """Parse the verb's arguments (a mistake exits 2 with the usage, no traceback), then check the database
    (unreachable, unsupported or not migrated: one line on stderr and exit 1) before the verb runs."""
    from django.core.management import get_commands, load_command_class

    from partnernet.base.health import database_problem

    app = get_commands().get(command)
    if app is None:
        return
    handler = load_command_class(app, command)
    handler._called_from_command_line = True  # type: ignore[attr-defined]
    handler.create_parser("partnernet", verb).parse_args(rest)
    problem = database_problem()
    if problem is not None:
        _fail(problem)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnernet.settings")
    if len(args) < 2 or args[1] in ("-h", "--help"):
        sys.stdout.write(USAGE)
        return
    verb = args[1]
    if verb in ("help", "restore") or any(arg in ("-h", "--help") for arg in args[2:]):
        # Help reads the settings but must not make a data folder, a secret key or a static folder;
        # restore must find the data folder as empty as it was (the archive brings the secret key).
        os.environ["PARTNERNET_NO_WRITE"] = "1"
    elif verb in PREFLIGHT:
        _setup()
        preflight(verb, VERBS[verb], args[2:])
    from django.core.management import execute_from_command_line

    rest = args[2:]
    if verb in UNCHECKED and "--skip-checks" not in rest:
        rest = ["--skip-checks", *rest]
    execute_from_command_line(["partnernet", VERBS.get(verb, verb), *rest])


if __name__ == "__main__":
    main()
