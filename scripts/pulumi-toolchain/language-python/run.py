# The program runner of shipshape's pulumi-language-python (main.go starts it with the virtual
# environment's python). It connects the released `pulumi` package from PyPI to the engine and runs
# the program's __main__.py (or the file named by Pulumi.yaml `main`) inside the root stack.
#
# Exit codes: 0 ok; 32 an error was already reported to the engine (the host turns it into the
# engine's bail); anything else is a crash of this runner.
import argparse
import asyncio
import os
import runpy
import signal
import sys
import traceback

EXIT_REPORTED = 32


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="pulumi-language-python-run")
    p.add_argument("--monitor", required=True)
    p.add_argument("--engine", default=None)
    p.add_argument("--project", default=None)
    p.add_argument("--stack", default=None)
    p.add_argument("--pwd", default=None)
    p.add_argument("--organization", default=None)
    p.add_argument("--root-directory", default=None)
    p.add_argument("--parallel", type=int, default=None)
    p.add_argument("--dry-run", action="store_true")
    p.add_argument("program")
    return p.parse_args()


def stop(_signum, _frame) -> None:
    # The engine cancels the program (Cancel sends SIGINT) after it has reported why, e.g. a
    # component's provider refused its args: leave without a traceback of wherever it waited.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(EXIT_REPORTED)


def main() -> int:
    args = parse()
    signal.signal(signal.SIGINT, stop)
    import pulumi
    import pulumi.runtime
    from pulumi.errors import RunError

    if args.pwd:
        os.chdir(args.pwd)
    program = os.path.abspath(args.program)
    # The program's own modules import as they would with `python __main__.py`.
    sys.path.insert(0, program if os.path.isdir(program) else os.path.dirname(program))

    pulumi.runtime.configure(
        pulumi.runtime.Settings(
            project=args.project,
            stack=args.stack,
            monitor=args.monitor,
            engine=args.engine,
            parallel=args.parallel,
            dry_run=args.dry_run,
            organization=args.organization,
            root_directory=args.root_directory,
        )
    )

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    def body() -> None:
        runpy.run_path(program, run_name="__main__")

    try:
        loop.run_until_complete(pulumi.runtime.run_in_stack(body))
        return 0
    except RunError as e:
        pulumi.log.error(str(e))
        return EXIT_REPORTED
    except Exception as e:  # the program raised: report it once, with its traceback
        if type(e).__name__ == "ResourceRegistrationFailed" or getattr(e, "__module__", "").startswith("grpc"):
            pulumi.log.error(str(e))
        else:
            pulumi.log.error("Program failed with an unhandled exception:\n" + traceback.format_exc())
        return EXIT_REPORTED
    finally:
        loop.close()
        sys.stdout.flush()
        sys.stderr.flush()


if __name__ == "__main__":
    sys.exit(main())
