"""Pass sizes: ISF's ``WIDTH``/``HEIGHT`` expressions (``"floor($WIDTH/2.0)"``, ``"$blurAmount*4"``).

Evaluated with Python's own parser over a whitelist of arithmetic and math
functions, never ``eval``: a file from the internet must not run code.
"""

from __future__ import annotations

import ast
import math
import re
from typing import Mapping

_FUNCS = {
    "floor": math.floor, "ceil": math.ceil, "round": round, "abs": abs, "min": min, "max": max,
    "sqrt": math.sqrt, "pow": pow, "exp": math.exp, "log": math.log, "log2": math.log2,
    "sin": math.sin, "cos": math.cos, "tan": math.tan, "mod": math.fmod,
    "clamp": lambda x, lo, hi: min(max(x, lo), hi),
}
_CONSTS = {"pi": math.pi, "PI": math.pi, "e": math.e}
_BINOPS = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
           ast.Div: lambda a, b: a / b, ast.Mod: math.fmod, ast.Pow: lambda a, b: a ** b,
           ast.FloorDiv: lambda a, b: a // b}
_CMPS = {ast.Lt: lambda a, b: a < b, ast.LtE: lambda a, b: a <= b, ast.Gt: lambda a, b: a > b,
         ast.GtE: lambda a, b: a >= b, ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b}


#: Largest buffer side: GL 3.3 promises 1024, every driver we met (Mesa llvmpipe, NVIDIA) gives >= 8192.
MAX_SIDE = 8192


class SizeError(ValueError):
    """A WIDTH/HEIGHT expression that cannot be evaluated (the message says why)."""


def evaluate(expression: str | float | int, variables: Mapping[str, float]) -> float:
    """The value of ``expression`` with ``$NAME`` replaced by ``variables[NAME]`` (e.g. WIDTH)."""
    if isinstance(expression, (int, float)) and not isinstance(expression, bool):
        return float(expression)
    text = str(expression).strip()
    # mathjs syntax -> Python: ^ is power
    text = text.replace("^", "**")
    text = re.sub(r"\$([A-Za-z_][A-Za-z0-9_]*)", r"__var_\1", text)
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise SizeError(f"cannot read the size expression {expression!r} ({exc.msg})") from None
    try:
        return float(_eval(tree.body, variables))
    except SizeError:
        raise
    except (ArithmeticError, ValueError, TypeError) as exc:
        raise SizeError(f"the size expression {expression!r} failed: {exc}") from None


def _eval(node: ast.AST, variables: Mapping[str, float]) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, ast.Name):
        if node.id.startswith("__var_"):
            key = node.id[len("__var_"):]
            if key not in variables:
                raise SizeError(f"${key} is not WIDTH, HEIGHT or a number input of this file")
            return float(variables[key])
        if node.id in _CONSTS:
            return _CONSTS[node.id]
        raise SizeError(f"unknown name {node.id!r} in a size expression (inputs are written $name)")
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        return _BINOPS[type(node.op)](_eval(node.left, variables), _eval(node.right, variables))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        v = _eval(node.operand, variables)
        return -v if isinstance(node.op, ast.USub) else v
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCS and not node.keywords:
        return _FUNCS[node.func.id](*(_eval(a, variables) for a in node.args))
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _CMPS:
        return float(_CMPS[type(node.ops[0])](_eval(node.left, variables), _eval(node.comparators[0], variables)))
    if isinstance(node, ast.IfExp):
        return _eval(node.body, variables) if _eval(node.test, variables) else _eval(node.orelse, variables)
    raise SizeError(f"{ast.dump(node)[:40]}... is not allowed in a size expression")


def pass_size(width: str, height: str, output: tuple[int, int], variables: Mapping[str, float]) -> tuple[int, int]:
    """A pass's pixel size: the expressions evaluated, floored, at least 1 and at most MAX_SIDE per side."""
    env = dict(variables)
    env["WIDTH"], env["HEIGHT"] = float(output[0]), float(output[1])
    out = []
    for expr, side in ((width, output[0]), (height, output[1])):
        v = evaluate(expr, env)
        if not math.isfinite(v):
            raise SizeError(f"the size expression {expr!r} is not finite")
        out.append(int(min(max(1, math.floor(v)), MAX_SIDE)))
    return out[0], out[1]
