"""Fast constructors for the engine's frozen, slotted result records.

A frozen dataclass's `__init__` sets each field through `object.__setattr__`, which costs
about 0.1 µs a field; the engine builds dozens of such records per quote. `maker(cls)`
returns a function taking the fields positionally, in declaration order, that builds the
record as an instance of a plain twin class with the very same slots (plain attribute
stores, which the interpreter specialises) and then sets its `__class__` to `cls` (allowed
because the layouts are identical: same base, same slots in the same order). Generated
once per class, like dataclasses generates `__init__`. Use it only with values already
validated: it runs no `__post_init__` and no checks.
"""

from __future__ import annotations


def maker(cls):
    names = tuple(cls.__slots__)
    assert names == tuple(cls.__dataclass_fields__), cls  # positional = declared order
    assert cls.__bases__ == (object,), cls  # the twin must have the same layout
    twin = type(f"_{cls.__name__}Slots", (), {"__slots__": names})
    namespace = {"_new": object.__new__, "_twin": twin, "_cls": cls}
    body = ["    obj = _new(_twin)"]
    body += [f"    obj.{name} = {name}" for name in names]
    body += ["    obj.__class__ = _cls", "    return obj"]
    source = f"def make_{cls.__name__}({', '.join(names)}):\n" + "\n".join(body) + "\n"
    exec(source, namespace)  # noqa: S102 — generated from the class's own slot names
    made = namespace[f"make_{cls.__name__}"]
    sample = made(*range(len(names)))  # fails here, at import, if the layouts differ
    assert sample.__class__ is cls and [getattr(sample, n) for n in names] == list(
        range(len(names))
    )
    return made
