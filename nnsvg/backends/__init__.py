"""Backends: one module per way of writing a Scene. ``svg`` writes SVG text (svgwrite);
``cairo`` draws PDF, PNG, PS and EPS straight onto cairo surfaces; ``dot`` writes the graph of
the network, not a Scene (GraphViz DOT). Which backend writes which
file extension is in ``nnsvg.formats``."""
