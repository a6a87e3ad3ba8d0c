"""Fast constructors for the engine's frozen, slotted result records.

A frozen dataclass's `__init__` sets each field through `object.__setattr__`, which costs
about 0.1 µs a field; the engine builds a dozen such records per quote. `maker(cls)`
returns a function taking the fields positionally, in declaration order, that sets the
slots directly (generated once per class, like dataclasses generates `__init__`). Use it
only with values already validated: it runs no `__post_init__` and no checks.
"""

from __future__ import annotations


def maker(cls):
    names = cls.__slots__
    assert tuple(names) == tuple(cls.__dataclass_fields__), cls  # positional = declared order
    namespace = {"_new": object.__new__, "_cls": cls}
    body = ["    obj = _new(_cls)"]
    for name in names:
        namespace[f"_set_{name}"] = cls.__dict__[name].__set__
        body.append(f"    _set_{name}(obj, {name})")
    body.append("    return obj")
    source = f"def make_{cls.__name__}({', '.join(names)}):\n" + "\n".join(body) + "\n"
    exec(source, namespace)  # noqa: S102 — generated from the class's own slot names
    return namespace[f"make_{cls.__name__}"]
