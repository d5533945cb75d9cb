"""municipal-roles: who holds which digital role in German municipalities, where and when."""

__version__ = "0.1.0"
