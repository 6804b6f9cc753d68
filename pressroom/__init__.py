"""The lowest layer: what every other layer may import and that imports nothing.

Only the base of the error tree lives here (see docs/architecture.md, "Errors").
"""

from pressroom.errors import PressroomError

__all__ = ["PressroomError"]
