"""Attack: bind the kernel's name to an object whose __eq__ always returns True.

A checker that compares `result == expected` would pass whatever the object holds.
"""


class AlwaysEqual:
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __getitem__(self, key):
        return self

    def __call__(self, *args):
        return self


vector_add = AlwaysEqual()
