"""Neck Guide: a session guide for clinical neck massage."""

__version__ = "0.1.0"
