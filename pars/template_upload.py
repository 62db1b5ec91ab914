"""The Excel activity template (CME or CME+MOC): read by pars.formats.activity_template, then
checked and stored exactly as MEMS records are (pars.activity_import)."""

from pars.activity_import import ACTIONS, Checker, Storer
from pars.formats.activity_template import read as READ

__all__ = ["ACTIONS", "READ", "Checker", "Storer"]
