"""vj: audio-reactive infinite-zoom VJ performance app."""

from pathlib import Path

__version__ = "0.1.0"

#: Repository root when running from a checkout; shaders, banks and setlists live here.
ROOT = Path(__file__).resolve().parent.parent
SHADERS = ROOT / "shaders"
BANKS = ROOT / "banks"
SETLISTS = ROOT / "setlists"
