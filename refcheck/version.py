"""The version, in a module of its own so that every module can name it without importing the package facade."""
__version__ = "0.1.0"
