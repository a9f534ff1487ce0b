"""Backends: one module per way of writing a Scene. ``svg`` writes SVG text (svgwrite);
``cairo`` draws PDF, PNG, PS and EPS straight onto cairo surfaces. Which backend writes which
file extension is in ``nnsvg.formats``."""
