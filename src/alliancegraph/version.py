"""The version of alliancegraph, in a module of its own so that any module can name it
without importing the package's front door."""

__version__ = "0.1.0"
