"""The engines the styles call, below the styles and above the scene.

``layered`` lays out the blocks style (ranks, lanes, routes); ``decorate`` is the one shared
decoration pass over what a chain style placed (skips, merge marks, frames ×N), with its
engines ``skips`` (the plan), ``arcs`` (the arcs routed and drawn) and ``frames``; ``labels``
places captions; ``legend`` records and places the legend; ``hits`` is the hit geometry (text
ink, shapes meeting a box) the quality check shares; ``arrows`` and ``glyphs`` draw arrowheads
and activation curves for the styles and the legend. Nothing here imports a style, the
registry or the checker.
"""
