"""The fixed choices of spec options, in one place: the spec dataclasses validate against them
and the CLI lists them in --help without importing every style."""

DIRECTIONS = ("right", "left", "up", "down")
ARROWHEADS = ("none", "empty", "solid")
EDGE_MODES = ("fixed", "weight")
MAP_SIZES = ("linear", "log")
DENSE_SIZES = ("linear", "sqrt")
FILTERS = ("infer", "given", "none")
PLACEMENTS = ("seeded", "center")
SCALINGS = ("log", "linear")
