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
    "worker": "db_worker",
    "entity": "entity",
}
USAGE = """usage: partnernet VERB [options]

verbs:
  demo [--port P]                      migrate, seed --demo, print a demo login, serve on 127.0.0.1
  serve [--port P]                     serve with the production WSGI server on 127.0.0.1
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
  worker                               run background tasks (SLA escalation of unanswered offers)
  entity home KEY | entity move-home KEY --to INSTANCE_ID
                                       where a seeded entity is homed; move its home (audited, on both)

KIND is one of: entities, partners, stewardships, partnerships, requests, profiles.
Every other verb is a Django management command (partnernet migrate, partnernet createsuperuser, ...);
`partnernet help` lists them and `partnernet VERB --help` explains one.
"""


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnernet.settings")
    if len(args) < 2 or args[1] in ("-h", "--help"):
        sys.stdout.write(USAGE)
        return
    args[1] = VERBS.get(args[1], args[1])
    from django.core.management import execute_from_command_line

    execute_from_command_line(["partnernet", *args[1:]])


if __name__ == "__main__":
    main()
