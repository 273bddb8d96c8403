"""`python -m bench [--deals N] [--repeat N] ...`: set up Django as manage.py does, then run the benchmark."""

import os
import sys


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")
    import django  # noqa: PLC0415 — configured by the line above

    django.setup()
    from .command import Command  # noqa: PLC0415 — imports models: only once Django is set up

    Command().run_from_argv(["python -m bench", "benchmark", *argv])


if __name__ == "__main__":
    main(sys.argv[1:])
