"""Copies the docstrings of python/pysrc/fleetcore/_fleetcore.pyi onto the pyo3 items of
python/src as `///` docs, so `help()` and Jupyter's `?` show at run time what the stubs show.

The stubs are where the Python contract is written; this makes the compiled module carry the
same text. python/tests/test_docs.py fails when the two differ: edit the stub, run

    python3 scripts/stub_docs.py

and rebuild. Classes, methods, properties (on their getter) and functions are matched by
name (fields of ``get_all`` classes too, and the doc argument of each ``create_exception!``);
dunder methods and constructors keep their own docs.
"""

from __future__ import annotations

import ast
import inspect
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STUB = ROOT / "python" / "pysrc" / "fleetcore" / "_fleetcore.pyi"
SOURCES = sorted((ROOT / "python" / "src").glob("*.rs"))


def stub_docs() -> dict[tuple[str | None, str], str]:
    """(class or None, name) -> cleaned docstring, for every documented stub item."""
    tree = ast.parse(STUB.read_text())
    docs: dict[tuple[str | None, str], str] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and ast.get_docstring(node):
            docs[(None, node.name)] = inspect.cleandoc(ast.get_docstring(node, clean=False) or "")
        if isinstance(node, ast.ClassDef):
            bases = {getattr(b, "id", "") for b in node.bases}
            if "TypedDict" in bases:
                continue
            if ast.get_docstring(node):
                docs[(node.name, "")] = inspect.cleandoc(ast.get_docstring(node, clean=False) or "")
            for item in node.body:
                if not isinstance(item, ast.FunctionDef) or not ast.get_docstring(item):
                    continue
                if item.name.startswith("__") and item.name.endswith("__"):
                    continue
                decorators = [ast.unparse(d) for d in item.decorator_list]
                if any(d.endswith(".setter") or d == "overload" for d in decorators):
                    continue
                docs[(node.name, item.name)] = inspect.cleandoc(ast.get_docstring(item, clean=False) or "")
    return docs


FN = re.compile(r"^\s*(?:pub(?:\([^)]*\))?\s+)?fn\s+(?:r#)?(\w+)")
STRUCT = re.compile(r"^\s*pub\s+(?:struct|enum)\s+(\w+)")
FIELD = re.compile(r"^\s+(?:pub(?:\([^)]*\))?\s+)?(\w+)\s*:")
IMPL = re.compile(r"^impl\s+(\w+)\s*\{")


def rewrite(path: Path, docs: dict[tuple[str | None, str], str], used: set[tuple[str | None, str]]) -> bool:
    lines = path.read_text().split("\n")
    out: list[str] = []
    block: list[str] = []  # doc and attribute lines waiting for their item
    depth = 0
    in_pymethods = False
    pending_pymethods = False
    current: str | None = None
    fields_of: str | None = None  # inside the body of a pyclass struct
    for line in lines:
        stripped = line.strip()
        if depth > 0 or (stripped.startswith("#[") and not stripped.startswith("#![")):
            block.append(line)
            depth += stripped.count("[") + stripped.count("(") - stripped.count("]") - stripped.count(")")
            depth = max(depth, 0)
            if stripped.startswith("#[pymethods]"):
                pending_pymethods = True
            continue
        if stripped.startswith("///"):
            block.append(line)
            continue
        impl = IMPL.match(line)
        if impl:
            current = impl.group(1) if pending_pymethods else None
            in_pymethods = pending_pymethods
            pending_pymethods = False
        elif line.startswith("}"):
            in_pymethods, current, fields_of = False, None, None
        field = FIELD.match(line) if fields_of else None
        key = (fields_of, field.group(1)) if field else _key(line, block, current if in_pymethods else None)
        struct = STRUCT.match(line)
        if struct and line.rstrip().endswith("{") and any("#[pyclass" in b for b in block):
            fields_of = struct.group(1)
        if key is not None and key in docs:
            used.add(key)
            indent = line[: len(line) - len(line.lstrip())]
            attrs = [b for b in block if not b.strip().startswith("///")]
            doc = [f"{indent}///" + (f" {d}" if d else "") for d in docs[key].split("\n")]
            block = doc + attrs
        out.extend(block)
        block = []
        out.append(line)
    out.extend(block)
    text = "\n".join(out)
    if text != path.read_text():
        path.write_text(text)
        return True
    return False


def _key(line: str, block: list[str], current: str | None) -> tuple[str | None, str] | None:
    attrs = " ".join(b.strip() for b in block if not b.strip().startswith("///"))
    struct = STRUCT.match(line)
    if struct and "#[pyclass" in attrs:
        return (struct.group(1), "")
    fn = FN.match(line)
    if not fn:
        return None
    name = fn.group(1)
    if "#[new]" in attrs or "#[setter" in attrs or "#[classattr]" in attrs:
        return None
    getter = re.search(r"#\[getter(?:\((\w+)\))?\]", attrs)
    if getter:
        name = getter.group(1) or (name[4:] if name.startswith("get_") else name)
    renamed = re.search(r'#\[pyo3\([^]]*\bname\s*=\s*"(\w+)"', attrs)
    if renamed:
        name = renamed.group(1)
    if current is not None:
        return (current, name)
    if "#[pyfunction]" in attrs:
        return (None, name)
    return None


EXCEPTION = re.compile(
    r'(pyo3::create_exception!\(\s*fleetcore,\s*(\w+),\s*\w+,\s*)"(?:[^"\\]|\\[\s\S])*"(\s*\);)'
)


def rust_string(text: str, indent: str) -> str:
    """``text`` as a Rust string literal, one source line per line of text (``\\n\\`` ends each)."""
    escaped = [line.replace("\\", "\\\\").replace('"', '\\"') for line in text.split("\n")]
    return '"' + f"\\n\\\n{indent}".join(escaped) + '"'


def rewrite_exceptions(path: Path, docs: dict[tuple[str | None, str], str], used: set[tuple[str | None, str]]) -> bool:
    """The doc argument of each ``create_exception!`` (exceptions have no ``///`` docs)."""
    text = path.read_text()

    def replace(m: re.Match[str]) -> str:
        key = (m.group(2), "")
        if key not in docs:
            return m.group(0)
        used.add(key)
        return m.group(1) + rust_string(docs[key], "     ") + m.group(3)

    new = EXCEPTION.sub(replace, text)
    if new != text:
        path.write_text(new)
        return True
    return False


def main() -> int:
    docs = stub_docs()
    used: set[tuple[str | None, str]] = set()
    changed = [p.name for p in SOURCES if rewrite(p, docs, used) | rewrite_exceptions(p, docs, used)]
    missing = sorted((c or "", n) for c, n in set(docs) - used)
    print(f"stub_docs: {len(used)} of {len(docs)} stub docstrings on pyo3 items; rewrote {', '.join(changed) or 'nothing'}")
    for c, n in missing:
        print(f"stub_docs: no pyo3 item for {c + '.' if c else ''}{n}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
