"""Legacy tab-delimited activity files: read by pars.formats.legacy_tab, then checked and stored
exactly as MEMS records are (pars.activity_import)."""

from pars.activity_import import ACTIONS, Checker, Storer
from pars.formats.legacy_tab import read as READ

__all__ = ["ACTIONS", "READ", "Checker", "Storer"]
