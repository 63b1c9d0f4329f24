"""Termination conditions under mystic's names.

    from augur.termination import VTR, ChangeOverGeneration, Or
    stop = Or(VTR(1e-8), ChangeOverGeneration(1e-12, 30))

Each condition is augur's (termination/ in the C library) with mystic's
formula and defaults; positional arguments follow the parameter order
mystic uses. Every leaf of augur's registry is here under its label: VTR,
ChangeOverGeneration, NormalizedChangeOverGeneration,
VTRChangeOverGeneration, CandidateRelativeTolerance, SolutionImprovement,
NormalizedCostTarget, PopulationSpread, GradientNormTolerance,
EvaluationLimits, TimeLimits, NoImprovement, NLopt's StopVal, FtolAbs,
FtolRel, XtolAbs, XtolRel and Hansen's CMA-ES tests (TolFun, TolX, ...);
combinators Or, And, When, Not (also as a | b, a & b, ~a).
"""
import math

from . import _augur

_TYPES = {t["name"]: t for t in _augur.term_types()}


class Condition:
    """A termination condition: wraps an augur._augur.Term (``.term``)."""

    kind = None   # the registry name

    def __init__(self, *args, **kwds):
        info = _TYPES[self.kind]
        names = [p["name"] for p in info["params"]]
        if len(args) > len(names):
            raise TypeError(f"{type(self).__name__} takes at most {len(names)} "
                            f"arguments ({', '.join(names)})")
        self.term = _augur.Term(self.kind)
        values = dict(zip(names, args))
        for key, value in kwds.items():
            values[key.replace("_", "-")] = value
        for key, value in values.items():
            self.term.set_param(key, self._value(key, value))

    @staticmethod
    def _value(key, value):
        if value is None:   # mystic's "none": no fval, no limit
            return math.inf if key == "fval" else 0
        return float(value)

    @classmethod
    def _wrap(cls, term):
        obj = Condition.__new__(_class_for(term.name))
        obj.term = term
        return obj

    def __repr__(self):
        return self.term.describe()

    def __or__(self, other):
        return Or(self, other)

    def __and__(self, other):
        return And(self, other)

    def __invert__(self):
        return Not(self)

    def to_spec(self):
        """The condition as spec text (augur's config format)."""
        return self.term.write_spec()


class _Combinator(Condition):
    arity = None

    def __init__(self, *members):
        if self.arity is not None and len(members) != self.arity:
            raise TypeError(f"{type(self).__name__} takes {self.arity} member(s)")
        self.term = _augur.Term(self.kind)
        for m in members:
            self.term.add(m.term if isinstance(m, Condition) else m)


class Or(_Combinator):
    """Stops when any member does."""
    kind = "or"


class And(_Combinator):
    """Stops when every member does."""
    kind = "and"


class When(_Combinator):
    """mystic's When: fires when its member does, with the member's reason."""
    kind = "when"
    arity = 1


class Not(_Combinator):
    kind = "not"
    arity = 1


_CLASSES = {"or": Or, "and": And, "when": When, "not": Not}

for _name, _info in _TYPES.items():
    if _name in _CLASSES:
        continue
    _doc = _info["doc"] + "\n\nParameters (defaults): " + ", ".join(
        f"{p['name']}={p['default']:g}" for p in _info["params"])
    _cls = type(_info["label"], (Condition,), {"kind": _name, "__doc__": _doc,
                                               "__module__": __name__})
    _CLASSES[_name] = _cls
    globals()[_info["label"]] = _cls


def _class_for(name):
    return _CLASSES.get(name, Condition)


def from_spec(text):
    """A condition from spec text (Condition.to_spec's inverse)."""
    return Condition._wrap(_augur.Term.read_spec(text))


__all__ = ["Condition", "from_spec"] + sorted(c.__name__ for c in _CLASSES.values())
