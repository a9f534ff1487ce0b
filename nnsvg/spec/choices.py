"""The fixed choices of spec options, in one place: the spec dataclasses validate against them
and the CLI lists them in --help without importing every style."""

DIRECTIONS = ("right", "left", "up", "down")
ARROWHEADS = ("none", "empty", "solid")
EDGE_MODES = ("fixed", "weight")
MAP_SIZES = ("linear", "log")
LENET_MAP_SIZES = ("auto", "linear", "log")
DENSE_SIZES = ("auto", "linear", "sqrt")
FILTERS = ("infer", "given", "none")
PLACEMENTS = ("seeded", "center")
SCALINGS = ("log", "linear")
ACTIVATIONS = ("identity", "relu", "leaky_relu", "sigmoid", "tanh", "softmax", "gelu", "swish")
ACTIVATION_STYLES = ("glyph", "beside", "name")
CELLS = ("rnn", "lstm", "gru")
RNN_FORMS = ("auto", "nodes", "blocks")
RNN_OUTPUTS = ("all", "last")
