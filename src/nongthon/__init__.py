"""nongthon: the National Target Program on New Rural Development and OCOP, in one system."""

__version__ = "0.1.0"
