"""Helpers for command-line simulation scripts (PyNN's ``pyNN.utility`` functions)."""

import argparse
import datetime
import importlib
import logging
import os
import smtplib
import sys
from email.message import EmailMessage

# The native engine is pineal.native; "pineal" also names it, so
# ``python model.py pineal`` and ``python model.py native`` do the same.
_SIMULATOR_ALIASES = {"pineal": "native"}


def get_simulator(*arguments):
    """Parse the command line and import the backend it names.

    The first positional argument is the simulator (``nest``, ``neuron``,
    ``native``...); each extra argument is a tuple ``(name, help_text)`` or
    ``(name, help_text, argparse_kwargs)``.  Returns ``(sim_module, args)``.
    """
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "simulator",
        help="backend to run on: native (or pineal), nest, neuron, brian2, arbor...",
    )
    for argument in arguments:
        name, help_text, *rest = argument
        parser.add_argument(name, help=help_text, **(rest[0] if rest else {}))
    args = parser.parse_args()
    name = _backend_name(args.simulator)
    try:
        sim = importlib.import_module(f"pineal.{name}")
    except ModuleNotFoundError as err:
        if err.name == f"pineal.{name}" and name in _PYNN_BACKENDS:
            raise NotImplementedError(
                f"the {name} backend (pineal.{name}) is not available yet; run with "
                "'native'") from None
        raise
    return sim, args


# PyNN's backends that pineal plans adapters for (DESIGN.md)
_PYNN_BACKENDS = ("nest", "neuron", "brian2", "arbor")


def _backend_name(simulator):
    name = simulator
    for prefix in ("pineal.", "pyNN."):  # accept "pineal.nest" / "pyNN.nest"
        name = name.removeprefix(prefix)
    return _SIMULATOR_ALIASES.get(name, name)


def get_script_args(n_args, usage=""):
    """The n_args arguments that follow the script name on the command line.

    Looks for the script (the first argument ending in ".py") so that it also
    works under launchers that put their own options first (nrniv -python,
    mpirun).  Raises ValueError, with ``usage``, if the count is wrong.
    """
    argv = sys.argv
    script_positions = [i for i, arg in enumerate(argv) if arg.endswith(".py")]
    args = argv[script_positions[0] + 1 :] if script_positions else argv[1:]
    if len(args) != n_args:
        raise ValueError(f"expected {n_args} script arguments, got {len(args)}. {usage}".strip())
    return args


def init_logging(logfile, debug=False, num_processes=1, rank=0, level=None):
    """Configure logging for a script and return the "pineal" logger.

    ``logfile=None`` logs to stderr.  With several MPI processes each one
    writes its own file (``<logfile>.<rank>``) and tags its messages with its
    rank.  ``level`` (a number or a name such as "WARNING") overrides ``debug``.
    """
    if level is None:
        level = logging.DEBUG if debug else logging.INFO
    elif isinstance(level, str):
        level = logging.getLevelName(level.upper())
    if num_processes > 1:
        if logfile:
            logfile = f"{logfile}.{rank}"
        fmt = f"%(asctime)s %(levelname)s rank {rank}: %(name)s: %(message)s"
    else:
        fmt = "%(asctime)s %(levelname)s %(name)s: %(message)s"
    handler_args = {"filename": logfile, "filemode": "w"} if logfile else {}
    # force: a script calls this once to set up logging, replacing whatever an
    # imported library (or a test runner) installed on the root logger.
    logging.basicConfig(level=level, format=fmt, force=True, **handler_args)
    return logging.getLogger("pineal")


def normalized_filename(
    root, basename, extension, simulator, num_processes=None, use_iso8601=False
):
    """A dated file name for results:
    ``root/YYYYMMDD/<basename>_<simulator>[_np<N>]_YYYYMMDD-HHMMSS.<extension>``.

    With ``use_iso8601`` the dates are written YYYY-MM-DD and
    YYYY-MM-DDTHH:MM:SS.  No directory is created.
    """
    now = datetime.datetime.now()  # one reading, so folder and stamp agree
    if use_iso8601:
        day, stamp = now.strftime("%Y-%m-%d"), now.strftime("%Y-%m-%dT%H:%M:%S")
    else:
        day, stamp = now.strftime("%Y%m%d"), now.strftime("%Y%m%d-%H%M%S")
    processes = f"_np{num_processes}" if num_processes else ""
    return os.path.join(root, day, f"{basename}_{simulator}{processes}_{stamp}.{extension}")


# Defaults for notify(); a ``settings.py`` on the path may provide them.
SMTPHOST = None
EMAIL = None


def _mail_settings():
    """SMTPHOST and EMAIL from an optional user ``settings`` module.

    Read only when notify() needs them, so importing pineal.utility never
    imports an unrelated module that happens to be called "settings".
    """
    try:
        import settings
    except ImportError:
        return None, None
    return getattr(settings, "SMTPHOST", None), getattr(settings, "EMAIL", None)


def notify(
    msg="Simulation finished.",
    subject="Simulation finished.",
    smtphost=SMTPHOST,
    address=EMAIL,
):
    """Send an e-mail (e.g. when a long run ends) through ``smtphost`` to ``address``."""
    if not (smtphost and address):
        configured_host, configured_address = _mail_settings()
        smtphost = smtphost or configured_host
        address = address or configured_address
    if not (smtphost and address):
        logging.getLogger("pineal").warning("notify: no SMTP host or address configured")
        return
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = address
    message["To"] = address
    message.set_content(msg)
    with smtplib.SMTP(smtphost) as server:
        server.send_message(message)
