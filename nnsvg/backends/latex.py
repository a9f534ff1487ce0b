"""Labels as LaTeX, for the backends whose labels LaTeX typesets (``tikz``, ``pdf_tex``): the
one mapping from nnsvg's Unicode labels to LaTeX source.

A label is split into words at spaces, and each word is one of:

* **math**: it holds a character of ``MATH`` (ℝ ∈ × → Greek letters …), a superscript or a
  subscript (⁰…⁹ ⁺ ⁻ ⁽ ⁾ ⁿ ᵀ, ₀…₉ ₊ ₋ ₍ ₎ ᵢ ⱼ ₖ ₙ ₜ …), a combining accent (x̂ = x + U+0302) or a
  letter outside Latin-1 with a hat, tilde, bar or dot (ŷ → ``\\hat{y}``); Latin-1's accented
  letters (é, ü) stay text;
* **joining**: a lone letter (``x``), a number (``3``) or an operator (``=``, ``+``): math
  when it stands next to a math word (so ``x ∈ ℝ³`` and ``T = 4`` are one formula), text
  otherwise; a label that is one lone letter (``h``) is math (an italic variable);
* **text**: anything else (``Hidden``, ``16@10x10``, ``+1``), written with LaTeX's special
  characters escaped.

Consecutive math words make one ``$…$``: ``Hidden Layer ∈ ℝ¹²`` becomes ``Hidden Layer
$\\in \\mathbb{R}^{12}$``; ``h₁ = relu(W₁x + b₁)`` becomes ``$h_{1} = \\mathrm{relu}(W_{1}x +
b_{1})$``. In math, a run of two or more Latin letters is upright (``\\mathrm{relu}``), a single
letter italic, and two or more spaces between words are a ``\\quad``.

**Verbatim LaTeX**: a label holding two or more ``$`` not preceded by a backslash is LaTeX
already and is written unchanged (``'$h_t = \\tanh(W h_{t-1})$'``): give it as the layer's
``label`` (or ``--label``). SVG, PDF, PNG and PostScript show such a label as typed. A label may
come from someone else's spec or from a model file's layer names, and LaTeX runs what it reads
(``\\immediate\\write18`` runs a shell command under ``-shell-escape``; ``\\input`` reads any
file into the paper), so a verbatim label may use only the commands of ``COMMANDS`` (math and
text formatting) and control symbols (``\\,`` ``\\%``), with balanced braces, no comment (an
unescaped ``%``) and no ``^^`` (TeX's notation for a character by its code, which can spell a
backslash): anything else is an ExportError when a LaTeX file is written.

Control characters (a line break, a tab) are spaces in every label, as SVG shows them: a line
break would end a TeX comment or, doubled, a paragraph inside the label's box.

Characters outside this table and outside Latin-1 are written as they are: LaTeX with its
default fonts may not have them (``Unicode character … not set up for use with LaTeX``); give
such a label verbatim.
"""

from __future__ import annotations

import re
import unicodedata

from ..errors import ExportError
from ..text import clip

SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵀᵗ", "0123456789+-=()niTt"))
SUBSCRIPTS = dict(zip("₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜᵢⱼ", "0123456789+-=()aeoxhklmnpstij"))

_GREEK = {
    "α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "δ": r"\delta", "ε": r"\varepsilon", "ϵ": r"\epsilon",
    "ζ": r"\zeta", "η": r"\eta", "θ": r"\theta", "ϑ": r"\vartheta", "ι": r"\iota", "κ": r"\kappa",
    "λ": r"\lambda", "μ": r"\mu", "µ": r"\mu", "ν": r"\nu", "ξ": r"\xi", "π": r"\pi", "ρ": r"\rho",
    "σ": r"\sigma", "ς": r"\varsigma", "τ": r"\tau", "υ": r"\upsilon", "φ": r"\varphi", "ϕ": r"\phi",
    "χ": r"\chi", "ψ": r"\psi", "ω": r"\omega", "Γ": r"\Gamma", "Δ": r"\Delta", "Θ": r"\Theta",
    "Λ": r"\Lambda", "Ξ": r"\Xi", "Π": r"\Pi", "Σ": r"\Sigma", "Υ": r"\Upsilon", "Φ": r"\Phi",
    "Ψ": r"\Psi", "Ω": r"\Omega",
}

# every character that makes its word math, with its LaTeX (amssymb gives \mathbb)
MATH: dict[str, str] = {
    **_GREEK,
    "ℝ": r"\mathbb{R}", "ℕ": r"\mathbb{N}", "ℤ": r"\mathbb{Z}", "ℚ": r"\mathbb{Q}", "ℂ": r"\mathbb{C}",
    "∈": r"\in", "∉": r"\notin", "×": r"\times", "·": r"\cdot", "⋅": r"\cdot", "÷": r"\div", "±": r"\pm",
    "∓": r"\mp", "−": "-", "≤": r"\leq", "≥": r"\geq", "≠": r"\neq", "≈": r"\approx", "≡": r"\equiv",
    "∼": r"\sim", "∝": r"\propto", "→": r"\to", "←": r"\leftarrow", "↔": r"\leftrightarrow",
    "⇒": r"\Rightarrow", "⇐": r"\Leftarrow", "⇔": r"\Leftrightarrow", "↦": r"\mapsto", "↑": r"\uparrow",
    "↓": r"\downarrow", "∞": r"\infty", "∑": r"\sum", "∏": r"\prod", "∫": r"\int", "∂": r"\partial",
    "∇": r"\nabla", "√": r"\surd", "⊕": r"\oplus", "⊗": r"\otimes", "⊙": r"\odot", "∘": r"\circ",
    "∗": r"\ast", "⋯": r"\cdots", "⊤": r"\top", "⊥": r"\bot", "∀": r"\forall", "∃": r"\exists",
    "∅": r"\emptyset", "∩": r"\cap", "∪": r"\cup", "⊂": r"\subset", "⊆": r"\subseteq", "‖": r"\|",
    "⟨": r"\langle", "⟩": r"\rangle", "′": "'", "″": "''", "ℓ": r"\ell", "°": r"^{\circ}",
}

ACCENTS = {"\u0302": r"\hat", "\u0303": r"\tilde", "\u0304": r"\bar", "\u0305": r"\bar", "\u0307": r"\dot",
           "\u0308": r"\ddot", "\u20d7": r"\vec"}

# LaTeX's special characters in text, and the ASCII ones its default (OT1) text fonts lack
TEXT_ESCAPES = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "%": r"\%",
                "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
                "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}", "…": r"\dots{}"}
MATH_ESCAPES = {"\\": r"\backslash ", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "%": r"\%",
                "#": r"\#", "_": r"\_", "~": r"\sim ", "^": r"\hat{\ }", "…": r"\dots "}

_OPERATORS = set("=+-<>*/:|") | {"−", "×", "·"}
_VERBATIM = re.compile(r"(?<!\\)\$")
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")  # Unicode's Cc, Zl and Zp: spaces in a label
# a verbatim label as TeX reads it: a control word or symbol, a lone backslash at the end, a
# brace, a comment sign
_TEX_TOKEN = re.compile(r"\\(?:[A-Za-z]+|.)|\\|[{}%]", re.DOTALL)

# the control words a verbatim label may use: LaTeX's (and amsmath's, amssymb's) math and text
# formatting, none of which reads, writes or runs anything or defines a command; a label that
# needs another (a macro of the paper's own) is refused rather than trusted, since labels may
# come from other people's specs and model files (see the module's docstring)
COMMANDS = frozenset("""
    mathrm mathbf mathit mathsf mathtt mathcal mathfrak mathbb mathscr mathnormal boldsymbol bm operatorname
    text textrm textbf textit textsf texttt textsc textup textsl textmd textnormal emph mbox ensuremath
    displaystyle textstyle scriptstyle scriptscriptstyle tiny scriptsize footnotesize small normalsize
    large Large LARGE huge Huge color textcolor
    frac dfrac tfrac cfrac sqrt binom dbinom tbinom over atop choose overset underset stackrel substack
    left right middle big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr langle rangle lceil
    rceil lfloor rfloor lbrace rbrace lvert rvert lVert rVert vert Vert mid
    hat widehat tilde widetilde bar overline underline vec dot ddot check breve acute grave mathring
    overrightarrow overleftarrow underbrace overbrace
    quad qquad enspace thinspace medspace thickspace negthinspace phantom hphantom vphantom mathstrut strut
    alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi varpi
    rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma
    Upsilon Phi Psi Omega
    sin cos tan cot sec csc arcsin arccos arctan sinh cosh tanh coth log ln lg exp max min sup inf lim
    limsup liminf arg det dim ker deg gcd Pr hom
    in notin ni subset supset subseteq supseteq cup cap setminus times cdot cdotp ldotp div pm mp ast star
    circ bullet oplus ominus otimes oslash odot wedge vee land lor neg lnot leq le geq ge neq ne approx sim
    simeq cong equiv propto ll gg prec succ preceq succeq perp parallel models vdash dashv colon
    to gets rightarrow leftarrow leftrightarrow Rightarrow Leftarrow Leftrightarrow longrightarrow
    longleftarrow Longrightarrow Longleftarrow mapsto longmapsto uparrow downarrow updownarrow Uparrow
    Downarrow hookrightarrow
    sum prod coprod int iint oint bigcup bigcap bigoplus bigotimes bigodot bigvee bigwedge limits nolimits
    mathop mathbin mathrel mathord mathpunct mathopen mathclose
    infty partial nabla forall exists nexists emptyset varnothing ell hbar imath jmath Re Im aleph prime
    backslash top bot angle triangle surd dagger ddagger cdots ldots dots vdots ddots checkmark square Box
    textbackslash textasciitilde textasciicircum textless textgreater textbar textunderscore textbraceleft
    textbraceright textdollar textbullet textendash textemdash textperiodcentered
    """.split()) | frozenset(re.findall(r"\\([A-Za-z]+)", " ".join([*MATH.values(), *ACCENTS.values(),
                                                                  *MATH_ESCAPES.values(),
                                                                  *TEXT_ESCAPES.values()])))


def one_line(text: str) -> str:
    """Text for a TeX comment: its lines (and any run of spaces) joined by one space, so
    nothing of it can end the comment."""
    return " ".join(_CONTROLS.sub(" ", text).split())


def verbatim(label: str) -> bool:
    """Whether the label is LaTeX already: two or more ``$`` not escaped by a backslash."""
    return len(_VERBATIM.findall(label)) >= 2


def check_verbatim(label: str) -> str:
    """A verbatim label unchanged if LaTeX can read it safely: only the control words of
    ``COMMANDS``, balanced braces, no comment, no ``^^``; an ExportError naming what is not."""
    if "^^" in label:  # anywhere, even after a backslash: TeX reduces it before it reads a name
        raise ExportError(f"the verbatim LaTeX label '{clip(label, 40)}' holds ^^ (TeX reads it as a character "
                          "by its code, which can spell any command)")
    depth = 0
    for token in _TEX_TOKEN.findall(label):
        why = ""
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            why = "closes a brace it did not open" if depth < 0 else ""
        elif token == "%":
            why = "holds an unescaped % (the rest of the line, the end of its box, would be a comment)"
        elif token == "\\":
            why = "ends with a backslash (it would escape the brace that closes its box)"
        elif token[1:].isascii() and token[1:].isalpha() and token[1:] not in COMMANDS:
            why = (f"uses {clip(token, 30)}, which is not one of LaTeX's math and text "
                   "formatting commands (a label must not run, read or define anything when LaTeX compiles it)")
        if why:
            raise ExportError(f"the verbatim LaTeX label '{clip(label, 40)}' {why}")
    if depth:
        raise ExportError(f"the verbatim LaTeX label '{clip(label, 40)}' opens a brace it does not close")
    return label


def _accented(c: str) -> bool:
    """A combining accent, or a letter outside Latin-1 with a hat, tilde, bar or dot (ŷ, ȳ):
    Latin-1's accented letters (é, ü, ñ) are words' letters."""
    if unicodedata.combining(c):
        return True
    return ord(c) > 0xFF and any(m in ACCENTS for m in unicodedata.normalize("NFD", c)[1:])


def _is_math(word: str) -> bool:
    return any(c in MATH or c in SUPERSCRIPTS or c in SUBSCRIPTS or _accented(c)
               for c in unicodedata.normalize("NFC", word))


def _joins(word: str) -> bool:
    """A lone letter, a number or an operator: math beside a math word."""
    return ((len(word) == 1 and word.isascii() and word.isalpha())
            or re.fullmatch(r"[0-9]+([.,][0-9]+)?", word) is not None
            or all(c in _OPERATORS for c in word))


def _scripts(chars: str, i: int, table: dict[str, str]) -> tuple[str, int]:
    """The run of script characters from ``i`` as its plain text, and where it ends."""
    j = i
    while j < len(chars) and chars[j] in table:
        j += 1
    return "".join(table[c] for c in chars[i:j]), j


def math_word(word: str) -> str:
    """One math word as the LaTeX inside ``$…$``."""
    chars = unicodedata.normalize("NFD", word)
    atoms: list[str] = []
    i = 0
    while i < len(chars):
        c = chars[i]
        if c in SUPERSCRIPTS:
            text, i = _scripts(chars, i, SUPERSCRIPTS)
            atoms.append(f"^{{{text}}}")
            continue
        if c in SUBSCRIPTS:
            text, i = _scripts(chars, i, SUBSCRIPTS)
            atoms.append(f"_{{{text}}}")
            continue
        if c in ACCENTS and atoms:
            atoms[-1] = f"{ACCENTS[c]}{{{atoms[-1]}}}"
        elif unicodedata.combining(c):
            pass  # an accent LaTeX's math has no command for: the letter alone
        elif c.isascii() and c.isalpha():
            j = i
            while j < len(chars) and chars[j].isascii() and chars[j].isalpha():
                j += 1
            run = chars[i:j]
            if len(run) == 1:
                atoms.append(run)
            else:
                atoms.append(rf"\mathrm{{{run}}}")
            i = j
            continue
        elif c in MATH:
            command = MATH[c]
            atoms.append(command + (" " if command[-1:].isalpha() else ""))
        elif c in MATH_ESCAPES:
            atoms.append(MATH_ESCAPES[c])
        else:
            atoms.append(c)
        i += 1
    return "".join(atoms).rstrip()


def text_word(word: str) -> str:
    """One text word with LaTeX's special characters escaped."""
    return "".join(TEXT_ESCAPES.get(c, c) for c in word)


def to_latex(label: str) -> str:
    """A label as LaTeX source (see the module's docstring for the rules); a verbatim label
    LaTeX cannot read safely is an ExportError."""
    label = _CONTROLS.sub(" ", label)
    if verbatim(label):
        return check_verbatim(label)
    parts = re.split(r"( +)", label)  # words at even indices, the spaces between at odd ones
    words = parts[0::2]
    kinds = ["math" if _is_math(w) else "join" if w and _joins(w) else "text" for w in words]
    if len(words) == 1 and kinds[0] == "join" and words[0].isalpha():
        kinds[0] = "math"
    changed = True
    while changed:  # joining words beside math become math, along chains of them
        changed = False
        for k, kind in enumerate(kinds):
            if kind == "join" and any(0 <= n < len(kinds) and kinds[n] == "math" for n in (k - 1, k + 1)):
                kinds[k] = "math"
                changed = True
    out: list[str] = []
    k = 0
    while k < len(words):
        if kinds[k] != "math":
            out.append(text_word(words[k]))
            if k + 1 < len(words):
                out.append(parts[2 * k + 1])
            k += 1
            continue
        formula: list[str] = []
        while k < len(words) and kinds[k] == "math":
            formula.append(math_word(words[k]))
            if k + 1 < len(words) and kinds[k + 1] == "math":
                formula.append(r" \quad " if len(parts[2 * k + 1]) > 1 else " ")
            k += 1
        out.append("$" + "".join(formula) + "$")
        if k < len(words):
            out.append(parts[2 * k - 1])
    return "".join(out)
