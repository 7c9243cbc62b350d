"""vj: audio-reactive infinite-zoom VJ performance app."""

import os
from pathlib import Path

__version__ = "0.1.0"

#: Where the vj package sits: the repository root when running from a checkout, else site-packages.
ROOT = Path(__file__).resolve().parent.parent
#: True when running from a git checkout (editable install, tests, `make run`).
CHECKOUT = (ROOT / "pyproject.toml").is_file() and (ROOT / "vj" / "__init__.py").is_file()


def _shaders() -> Path:
    """The GLSL files: the top-level ``shaders/`` folder, shipped in the wheel as the package ``vj.shaders``."""
    try:
        from importlib.resources import files
        return Path(str(files("vj.shaders")))
    except ModuleNotFoundError:  # a checkout on sys.path without any install
        return ROOT / "shaders"


def _user_data() -> Path:
    """Where an installed vj (pip, pipx) keeps the performer's banks: $VJ_HOME, else the XDG data folder."""
    if os.environ.get("VJ_HOME"):
        return Path(os.environ["VJ_HOME"]).expanduser()
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share").expanduser() / "vj"


SHADERS = _shaders()
#: Clip banks (banks/NAME/bank.toml): in a checkout its banks/ folder; installed, banks/ in the user data folder.
BANKS = ROOT / "banks" if CHECKOUT and not os.environ.get("VJ_HOME") else _user_data() / "banks"
#: Setlists: the checkout's setlists/ (the demo setlist is there); installed, setlists/ in the user data folder.
SETLISTS = ROOT / "setlists" if CHECKOUT and not os.environ.get("VJ_HOME") else _user_data() / "setlists"
