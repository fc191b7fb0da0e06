/**
 * Run by `python3 -I -S -c` with the script on stdin. It only parses (`ast.parse`), never
 * executes the author's code, and prints one JSON object: `{"params": [...]}` or
 * `{"error": "syntax" | "no_main" | "unsupported", "message": ...}`.
 * Kept free of backticks and dollar-braces: it lives in a template literal.
 */
export const PYTHON_SIGNATURE_SCRIPT = String.raw`
import ast, json, sys

SIMPLE = {
    "str": "string", "bytes": "string", "datetime": "string", "date": "string",
    "int": "integer", "float": "number", "bool": "boolean",
    "dict": "object", "Dict": "object", "Mapping": "object", "MutableMapping": "object",
    "list": "array", "List": "array", "tuple": "array", "Tuple": "array", "set": "array",
    "Set": "array", "frozenset": "array", "FrozenSet": "array", "Sequence": "array", "Iterable": "array",
    "Any": "any", "object": "any",
}
ARRAYS = ("array",)


def out(obj):
    sys.stdout.write(json.dumps(obj))
    sys.stdout.flush()
    sys.exit(0)


def name_of(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def t(type_, items=None, nullable=False):
    return {"type": type_, "items": items, "nullable": nullable}


def union(parts):
    nullable = any(p["type"] == "null" or p["nullable"] for p in parts)
    rest = [p for p in parts if p["type"] != "null"]
    types = set(p["type"] for p in rest)
    if len(types) == 1:
        items = set(p["items"] for p in rest)
        return t(rest[0]["type"], rest[0]["items"] if len(items) == 1 else None, nullable)
    if types == {"integer", "number"}:
        return t("number", None, nullable)
    return t("any", None, nullable)


def literal_type(node):
    if isinstance(node, ast.Constant):
        v = node.value
        if v is None:
            return t("null")
        if isinstance(v, bool):
            return t("boolean")
        if isinstance(v, int):
            return t("integer")
        if isinstance(v, float):
            return t("number")
        if isinstance(v, str):
            return t("string")
    return t("any")


def describe(node):
    if isinstance(node, ast.Constant):
        if node.value is None:
            return t("null")
        if isinstance(node.value, str):
            try:
                return describe(ast.parse(node.value, mode="eval").body)
            except SyntaxError:
                return t("any")
        return t("any")
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return union([describe(node.left), describe(node.right)])
    if isinstance(node, ast.Subscript):
        outer = name_of(node.value)
        args = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
        if outer == "Optional":
            return union([describe(args[0]), t("null")])
        if outer == "Union":
            return union([describe(a) for a in args])
        if outer == "Literal":
            return union([literal_type(a) for a in args])
        if outer == "Annotated":
            return describe(args[0])
        base = SIMPLE.get(outer, "any")
        if base in ARRAYS:
            item = describe(args[0]) if args else t("any")
            return t("array", item["type"] if item["type"] not in ("any", "null") else None)
        return t(base)
    name = name_of(node)
    if name is not None:
        return t(SIMPLE.get(name, "any"))
    return t("any")


def default_of(node):
    try:
        value = ast.literal_eval(node)
    except Exception:
        return False, None
    if isinstance(value, (tuple, set, frozenset)):
        value = list(value)
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return False, None
    return True, value


def main():
    source = sys.stdin.buffer.read()
    try:
        tree = ast.parse(source, filename="main.py")
    except SyntaxError as e:
        out({"error": "syntax", "message": "main.py:%s:%s: %s: %s" % (e.lineno, e.offset, type(e).__name__, e.msg)})
    except (ValueError, RecursionError, MemoryError) as e:
        out({"error": "syntax", "message": "main.py cannot be parsed: %s: %s" % (type(e).__name__, e)})
    fn = None
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == "main":
            fn = node
    if fn is None:
        out({"error": "no_main", "message": "no main function: define one at the top level, e.g. def main(name: str):"})
    a = fn.args
    if a.posonlyargs:
        out({"error": "unsupported", "message": "main's parameter %s is positional-only (before /); arguments are passed by name" % a.posonlyargs[0].arg})
    if a.vararg is not None:
        out({"error": "unsupported", "message": "main's *%s cannot be passed by name; declare each argument" % a.vararg.arg})
    if a.kwarg is not None:
        out({"error": "unsupported", "message": "main's **%s cannot be described; declare each argument" % a.kwarg.arg})
    defaults = [None] * (len(a.args) - len(a.defaults)) + list(a.defaults)
    pairs = list(zip(a.args, defaults)) + list(zip(a.kwonlyargs, a.kw_defaults))
    params = []
    for arg, default in pairs:
        p = {"name": arg.arg, "has_default": default is not None}
        p.update(describe(arg.annotation) if arg.annotation is not None else {"type": None, "items": None, "nullable": False})
        if default is not None:
            known, value = default_of(default)
            if known:
                p["default"] = value
        params.append(p)
    out({"params": params})


try:
    main()
except RecursionError:
    out({"error": "unsupported", "message": "main's signature is nested too deeply to analyse"})
`;
