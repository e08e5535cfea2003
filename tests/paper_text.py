"""The paper's sections and the comparison of quoted sentences with its text, whitespace and hyphens aside."""

import re

# section headings of the extracted text, in order: (label, how the heading line starts)
HEADINGS = (
    ("sec. I", "I. INTRODUCTION"),
    ("sec. II", "II. COHERENT NEUTRINO-NUCLEUS"),
    ("sec. II A", "A. New vector mediator"),
    ("sec. II B", "B. New scalar mediator"),
    ("sec. III", "III. EVENT RATES IN RES-NOVA AND"),
    ("sec. III A", "A. RES-NOVA"),
    ("sec. III B", "B. DARWIN"),
    ("sec. IV", "IV. SUPERNOVA NEUTRINOS"),
    ("sec. IV A", "A. Non-standard coherent scattering in the"),
    ("sec. IV B", "B. Non-standard coherent scattering of supernova"),
    ("sec. V", "V. SOLAR NEUTRINOS"),
    ("sec. VI", "VI. ATMOSPHERIC NEUTRINOS"),
    ("sec. VII", "VII. DETECTOR CONSTRAINTS ON THE"),
    ("sec. VII A", "A. Constraints from supernova neutrinos"),
    ("sec. VII B", "B. Constraints from solar and atmospheric"),
    ("sec. VIII", "VIII. DISCUSSION"),
    ("sec. VIII A", "A. Summary of our findings"),
    ("sec. VIII B", "B. Comparison with existing bounds: vector"),
    ("sec. VIII C", "C. Comparison with existing bounds: scalar"),
    ("sec. IX", "IX. CONCLUSIONS"),
    ("app. A", "Appendix A: Impact of the uncertainty in the"),
    ("app. B", "Appendix B: Dependence of the supernova neutrino"),
)


def sections_of(text):
    """{label: text} of the abstract (before sec. I) and of each section, headings found in order."""
    lines = text.splitlines()
    starts, line = [], 0
    for label, heading in HEADINGS:
        while not lines[line].strip().startswith(heading):
            line += 1
        starts.append((label, line))
    bounds = [("abstract", 0), *starts, (None, len(lines))]
    return {label: "\n".join(lines[start:end]) for (label, start), (_, end) in zip(bounds, bounds[1:], strict=False)}


def normalised(text):
    """The text without whitespace and ASCII hyphens (line-break hyphenation of the extraction)."""
    return re.sub(r"[\s\-]", "", text)


def find_original(body, words):
    """The passage of ``body`` that equals ``words`` up to whitespace and hyphens (whitespace collapsed), or None."""
    kept = [(i, ch) for i, ch in enumerate(body) if not (ch.isspace() or ch == "-")]
    flat = "".join(ch for _, ch in kept)
    at = flat.find(normalised(words))
    if at < 0:
        return None
    start, end = kept[at][0], kept[at + len(normalised(words)) - 1][0] + 1
    return " ".join(body[start:end].split())
