"""The `storyline` command and `python -m storyline`: the signal handlers go in first, before
the heavy imports, so that SIGINT or SIGTERM at any moment ends the process cleanly."""

from __future__ import annotations

from storyline import interrupt


def main() -> None:
    interrupt.install()
    try:
        from storyline.cli import app

        app()
    except interrupt.Interrupted as exc:
        # start-up, or a command that does not write to the store (run, build, ingest and
        # serve say what they kept themselves)
        interrupt.stop(exc, "stopped before it finished; run the command again")
    except SystemExit as exc:
        interrupt.exiting(exc.code)
        raise


if __name__ == "__main__":
    main()
