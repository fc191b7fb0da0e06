/**
 * Runs a Python job: imports the script as module `main`, calls `main(**args)`, awaits a
 * coroutine, and writes the JSON result to a file — not stdout, so the script's prints
 * cannot corrupt it. A failure goes to the error file as {name, message, stack} with the
 * traceback's tail (wrapper and importlib frames removed), and to the log.
 *
 * argv: <script.py> <call.json> <result.json> <error.json>
 */
export const PYTHON_WRAPPER = String.raw`
import asyncio
import importlib.util
import inspect
import json
import os
import sys
import traceback

script_path, call_path, result_path, error_path = sys.argv[1:5]

# stderr shares stdout's pipe from here on (child processes included), so the log keeps the
# exact order of prints and tracebacks; the result travels in a file, not on stdout.
os.dup2(1, 2)
WRAPPER = os.path.abspath(__file__)


class ResultNotSerializable(Exception):
    pass


def write_atomically(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def user_traceback(exc):
    tb = exc.__traceback__
    # Drop the frames of this wrapper and of importlib: the user cares about their code.
    while tb is not None and (
        os.path.abspath(tb.tb_frame.f_code.co_filename) == WRAPPER
        or tb.tb_frame.f_code.co_filename.startswith("<frozen importlib")
    ):
        tb = tb.tb_next
    lines = "".join(traceback.format_exception(type(exc), exc, tb)).rstrip("\n").split("\n")
    return "\n".join(lines[-40:])


def run():
    with open(call_path, encoding="utf-8") as f:
        args = json.load(f)["args"]
    sys.path.insert(0, os.path.dirname(os.path.abspath(script_path)))
    spec = importlib.util.spec_from_file_location("main", script_path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["main"] = module
    spec.loader.exec_module(module)
    main = getattr(module, "main", None)
    if not callable(main):
        raise NameError("the script defines no main function")
    result = main(**args)
    if inspect.isawaitable(result):
        async def wait():
            return await result
        result = asyncio.run(wait())
    try:
        text = json.dumps(result, allow_nan=False)
    except (TypeError, ValueError) as e:
        raise ResultNotSerializable("the result is not JSON-serialisable: " + str(e)) from None
    write_atomically(result_path, text)


try:
    run()
except Exception as exc:
    stack = user_traceback(exc)
    sys.stderr.write(stack + "\n")
    sys.stderr.flush()
    write_atomically(error_path, json.dumps({"name": type(exc).__name__, "message": str(exc)[:10000], "stack": stack}))
    sys.exit(1)
`;
