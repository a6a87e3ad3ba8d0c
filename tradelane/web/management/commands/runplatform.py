"""`manage.py runplatform`: what `make run` starts.

Migrates, loads demo data (idempotent), collects static files, then runs the WSGI server
(granian, several workers: `config/webserver.py`) and the Celery worker with its beat scheduler as child
processes. Ctrl-C (or SIGTERM) stops all of them; if one dies, the others are stopped.
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import BaseCommand, call_command

from config import webserver
from tradelane.accounts.demo import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "Prepare the database and serve the platform with its background worker."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--web-workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3"))
        )
        parser.add_argument("--no-seed", action="store_true", help="skip the demo data")

    def handle(self, *args, host, port, web_workers, no_seed, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if not no_seed:
            call_command("seed_demo")
        call_command("collectstatic", interactive=False, verbosity=0)
        bin_dir = os.path.dirname(sys.executable)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
        commands = {
            "web": webserver.command(
                host=host, port=port, workers=web_workers, access_log=True, log_level="info"
            ),
            "worker": [
                os.path.join(bin_dir, "celery"),
                "-A",
                "config",
                "worker",
                "--beat",
                "--loglevel",
                "INFO",
                "--concurrency",
                "2",
                "--schedule",
                settings.CELERY_BEAT_SCHEDULE_FILENAME,
            ],
        }
        children = {name: subprocess.Popen(cmd, env=env) for name, cmd in commands.items()}  # noqa: S603
        self._print_banner(host, port)
        exit_code = self._wait_for_stop(children)
        for child in children.values():
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + 15
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
        self.stdout.write("Tradelane stopped.")
        sys.exit(exit_code)

    def _wait_for_stop(self, children: dict) -> int:
        """Block (no polling loop) until Ctrl-C/SIGTERM or until a child process exits.

        The signals are blocked only after the children started, so they keep the
        default handlers and a terminal's Ctrl-C reaches them too.
        """
        wanted = {signal.SIGINT, signal.SIGTERM, signal.SIGCHLD}
        signal.pthread_sigmask(signal.SIG_BLOCK, wanted)
        while True:
            for name, child in children.items():
                if child.poll() is not None:
                    self.stderr.write(
                        f"{name} exited with {child.returncode}; stopping the platform."
                    )
                    return child.returncode or 1
            if signal.sigwait(wanted) in (signal.SIGINT, signal.SIGTERM):
                return 0

    def _print_banner(self, host, port):
        url = f"http://{host}:{port}/"
        lines = [
            "",
            f"Tradelane is running at {url}",
            f"  API docs:  {url}api/v1/docs      Admin: {url}admin/",
            f"  Demo logins (password for all: {DEMO_PASSWORD}):",
            *[f"    {user.label:<34} {user.email}" for user in DEMO_USERS],
            "  Ctrl-C stops the web server and the worker.",
            "",
        ]
        self.stdout.write("\n".join(lines))
