"""The `nongthon` command: Django's management commands, plus `demo` and `serve`.

`nongthon demo` builds the demo database (if missing) and serves it; `nongthon serve` runs
gunicorn for production. Every other word goes to Django (`nongthon migrate`, `nongthon check
--deploy`, `nongthon load_units`...).
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nongthon.settings")
    if len(argv) > 1 and argv[1] == "serve":
        _serve(argv[2:])
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


def _serve(extra: list[str]) -> None:
    """Run gunicorn with the project's WSGI app and its config file (nongthon/gunicorn_config.py:
    bind, workers, threads... from the environment); extra words go to gunicorn."""
    from gunicorn.app.wsgiapp import run

    sys.argv = ["gunicorn", "-c", "python:nongthon.gunicorn_config", "nongthon.wsgi:application"]
    sys.argv += extra
    run()


if __name__ == "__main__":
    main()
