"""The version of nnsvg, for the package, its command and the files it writes (a comment in
the TikZ and .pdf_tex outputs); hatch reads it from here when it builds the wheel."""

__version__ = "0.1.0"
