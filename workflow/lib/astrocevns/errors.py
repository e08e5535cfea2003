"""The errors of bad input, in a module of their own that imports nothing: any module can raise them
without pulling in the physics."""


class ConfigError(ValueError):
    """An inconsistent configuration; the message names the offending key."""


class InputError(ValueError):
    """A malformed or unphysical input; the message names the file, key or row."""
