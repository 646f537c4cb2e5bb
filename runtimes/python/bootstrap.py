"""lambdalab Python runtime: a stdlib-only AWS Lambda Runtime API client.

Started by the emulator as `python3 bootstrap.py` with cwd = LAMBDA_TASK_ROOT and
the Lambda environment. Mirrors awslambdaric (the official Python runtime
interface client): handler loading, error shapes, context object, log format.
"""

import http.client
import importlib
import json
import logging
import os
import sys
import time

API_PREFIX = "/2018-06-01/runtime"
ERROR_TYPE_HEADER = "Lambda-Runtime-Function-Error-Type"
ERROR_LOG_LINE_TERMINATE = "\r"
ERROR_LOG_INDENT = "\u00a0"  # awslambdaric indents traceback lines with NO-BREAK SPACE
UNHANDLED_INIT_WARNING = (
    "LAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the "
    "function code. However, in rare cases, a Lambda runtime update can cause "
    "unexpected function behavior. For functions using managed runtimes, runtime "
    "updates can be triggered by a function change, or can be applied automatically. "
    "To determine if the runtime has been updated, check the runtime version in the "
    "INIT_START log entry. If this error correlates with a change in the runtime "
    "version, you may be able to mitigate this error by temporarily rolling back to "
    "the previous runtime version. For more information, see "
    "https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html"
)

# Errors that mean a kept-alive connection was closed by the server while idle.
STALE_CONNECTION_ERRORS = (
    http.client.RemoteDisconnected,
    BrokenPipeError,
    ConnectionResetError,
)

_current_request_id = ""


class FaultException(Exception):
    """A runtime-detected failure whose errorType is a `Runtime.*` name."""

    def __init__(self, error_type, message, trace=None):
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.trace = trace


# --------------------------------------------------------------------------- HTTP


class RuntimeClient:
    """One persistent HTTP/1.1 connection to the Runtime API."""

    def __init__(self, address):
        host, _, port = address.rpartition(":")
        # timeout=None: /next blocks until an event arrives, however long that is,
        # and user code calling socket.setdefaulttimeout() must not change that.
        self._conn = http.client.HTTPConnection(host, int(port), timeout=None)

    def request(self, method, path, body=None, headers=None):
        """Send one request; returns (status, headers, body).

        A request on a reused connection that finds it closed is retried once on a
        new connection. Any other failure raises.
        """
        for attempt in (1, 2):
            reused = self._conn.sock is not None
            try:
                self._conn.request(method, path, body, headers or {})
                response = self._conn.getresponse()
                return response.status, response.headers, response.read()
            except STALE_CONNECTION_ERRORS:
                self._conn.close()
                if not reused or attempt == 2:
                    raise

    def next_invocation(self, extra_headers=None):
        status, headers, body = self.request("GET", API_PREFIX + "/invocation/next", headers=extra_headers)
        if status != 200:
            raise RuntimeError(f"/invocation/next returned {status}: {body[:200]!r}")
        if not headers.get("Lambda-Runtime-Aws-Request-Id"):
            raise RuntimeError("/invocation/next returned no request id")
        return headers, body

    def post(self, path, body, content_type, error_type=None):
        headers = {"Content-Type": content_type}
        if error_type:
            headers[ERROR_TYPE_HEADER] = _header_safe(error_type)
        status, _, reply = self.request("POST", API_PREFIX + path, body, headers)
        if not 200 <= status < 300:
            # The Runtime API owns the invoke's fate (e.g. 413 becomes
            # Function.ResponseSizeTooLarge); log it and carry on with /next.
            sys.stderr.write(f"lambdalab runtime: POST {path} returned {status}: {reply[:200]!r}\n")


def _header_safe(value):
    """http.client rejects header values with control or non-latin-1 characters."""
    return "".join(c if " " <= c <= "~" else "?" for c in value)


# ------------------------------------------------------------------ handler load


def load_handler(handler):
    """Import `module.function` (also `pkg/mod.fn`, `pkg.mod.fn`) like awslambdaric."""
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        raise FaultException("Runtime.MalformedHandlerName", f"Bad handler '{handler}': {e}")

    if modname.split(".")[0] in sys.builtin_module_names:
        raise FaultException(
            "Runtime.BuiltInModuleConflict",
            f"Cannot use built-in module {modname} as a handler module",
        )
    try:
        module = importlib.import_module(modname.replace("/", "."))
    except ImportError as e:
        raise FaultException("Runtime.ImportModuleError", f"Unable to import module '{modname}': {e}")
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise FaultException(
            "Runtime.UserCodeSyntaxError", f"Syntax error in module '{modname}': {e}", trace
        )

    try:
        return getattr(module, fname)
    except AttributeError:
        raise FaultException(
            "Runtime.HandlerNotFound", f"Handler '{fname}' missing on module '{modname}'"
        )


# ----------------------------------------------------------------------- context


class CognitoIdentity:
    __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]


class Client:
    __slots__ = [
        "installation_id",
        "app_title",
        "app_version_name",
        "app_version_code",
        "app_package_name",
    ]


class ClientContext:
    __slots__ = ["custom", "env", "client"]


def _obj_from_dict(cls, data):
    if data is None:
        return None
    obj = cls()
    for field in cls.__slots__:
        setattr(obj, field, data.get(field))
    return obj


class LambdaContext:
    """The attributes of awslambdaric's LambdaContext.

    memory_limit_in_mb is the env var string, as in awslambdaric.
    """

    def __init__(self, request_id, headers):
        env = os.environ
        self.aws_request_id = request_id
        self.log_group_name = env.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = env.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = env.get("AWS_LAMBDA_FUNCTION_NAME")
        self.memory_limit_in_mb = env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = env.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = headers.get("Lambda-Runtime-Invoked-Function-Arn")
        self.tenant_id = headers.get("Lambda-Runtime-Aws-Tenant-Id")
        self._deadline_ms = int(headers.get("Lambda-Runtime-Deadline-Ms") or 0)

        client_context = _parse_json_header(headers, "Lambda-Runtime-Client-Context", "Client Context")
        self.client_context = _obj_from_dict(ClientContext, client_context)
        if self.client_context is not None:
            self.client_context.client = _obj_from_dict(Client, self.client_context.client)

        cognito = _parse_json_header(headers, "Lambda-Runtime-Cognito-Identity", "Cognito Identity")
        self.identity = _obj_from_dict(CognitoIdentity, {})
        if cognito is not None:
            self.identity.cognito_identity_id = cognito.get("cognitoIdentityId")
            self.identity.cognito_identity_pool_id = cognito.get("cognitoIdentityPoolId")

    def get_remaining_time_in_millis(self):
        return max(self._deadline_ms - int(time.time() * 1000), 0)

    def log(self, msg):
        sys.stdout.write(str(msg))


def _parse_json_header(headers, name, description):
    value = headers.get(name)
    if not value:
        return None
    try:
        return json.loads(value)
    except Exception as e:
        raise FaultException(
            "Runtime.LambdaContextUnmarshalError", f"Unable to parse {description} JSON: {e}"
        )


# ---------------------------------------------------------------------- marshal


def decode_event(body):
    # Real Lambda hands an empty invoke payload to the function as {}.
    if not body:
        return {}
    try:
        return json.loads(body)
    except Exception as e:
        raise FaultException("Runtime.UnmarshalError", f"Unable to unmarshal input: {e}")


def _encode_decimal(obj):
    """awslambdaric (simplejson) writes Decimal as a JSON number; approximate that."""
    decimal = sys.modules.get("decimal")
    if decimal is not None and isinstance(obj, decimal.Decimal):
        if obj.is_nan():
            return float("nan")
        return int(obj) if obj == obj.to_integral_value() else float(obj)
    raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")


def encode_result(result):
    """Returns (body bytes, content type); bytes pass through as awslambdaric does."""
    if isinstance(result, bytes):
        return result, "application/unknown"
    try:
        return json.dumps(result, default=_encode_decimal).encode(), "application/json"
    except Exception as e:
        raise FaultException("Runtime.MarshalError", f"Unable to marshal response: {e}")


# ----------------------------------------------------------------------- errors


def make_error(message, error_type, stack_trace, request_id=""):
    return {
        "errorMessage": message or "",
        "errorType": error_type or "",
        "requestId": request_id or "",
        "stackTrace": stack_trace or [],
    }


def error_from_exception(exc, request_id=""):
    if isinstance(exc, FaultException):
        return make_error(exc.message, exc.error_type, exc.trace, request_id)
    return make_error(str(exc), type(exc).__name__, _user_frames(exc.__traceback__), request_id)


def _user_frames(tb):
    """Formats the traceback from the first frame outside this file, as awslambdaric does."""
    import traceback

    # Plain tuples, not FrameSummary: awslambdaric formats tuples, so no ^^^ markers.
    frames = [(f.filename, f.lineno, f.name, f.line) for f in traceback.extract_tb(tb)]
    for i, frame in enumerate(frames):
        if "/bootstrap.py" not in frame[0]:
            frames = frames[i:]
            break
    return traceback.format_list(frames)


def log_error(error):
    """Writes the `[ERROR] Type: message` record awslambdaric prints for a failure."""
    description = "[ERROR]"
    if error["errorType"]:
        description += " " + error["errorType"]
    if error["errorMessage"]:
        description += (":" if error["errorType"] else "") + " " + error["errorMessage"]
    lines = [description, "Traceback (most recent call last):"]
    for element in error["stackTrace"]:
        lines += [_indent_with_nbsp(line) for line in element.splitlines()] or [""]
    sys.stdout.write(ERROR_LOG_LINE_TERMINATE.join(lines) + "\n")


def _indent_with_nbsp(line):
    stripped = line.lstrip(" ")
    return ERROR_LOG_INDENT * (len(line) - len(stripped)) + stripped


# ---------------------------------------------------------------------- logging


class LambdaLoggerHandler(logging.Handler):
    def emit(self, record):
        message = self.format(record)
        # The format ends in "\n", but an exception traceback is appended after it.
        sys.stdout.write(message if message.endswith("\n") else message + "\n")


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _current_request_id
        return True


def setup_logging():
    """Root logger as in awslambdaric: AWS text format; level only if AWS_LAMBDA_LOG_LEVEL
    names one, otherwise the root logger keeps Python's default (WARNING)."""
    logging.Formatter.converter = time.gmtime
    handler = LambdaLoggerHandler()
    handler.setFormatter(
        logging.Formatter(
            "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n",
            "%Y-%m-%dT%H:%M:%S",
        )
    )
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    level = os.environ.get("AWS_LAMBDA_LOG_LEVEL", "").upper().replace("TRACE", "DEBUG")
    if level in logging.getLevelNamesMapping():
        root.setLevel(level)
    root.addHandler(handler)


def flush_output():
    """Everything the handler printed must reach the log before the result is posted."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass  # the user may have replaced or closed the stream


# ------------------------------------------------------------------------- loop


def handle_invocation(client, handler, headers, body):
    global _current_request_id
    request_id = headers["Lambda-Runtime-Aws-Request-Id"]
    _current_request_id = request_id
    trace_id = headers.get("Lambda-Runtime-Trace-Id")
    if trace_id:
        os.environ["_X_AMZN_TRACE_ID"] = trace_id
    else:
        os.environ.pop("_X_AMZN_TRACE_ID", None)

    try:
        context = LambdaContext(request_id, headers)
        result = handler(decode_event(body), context)
        payload, content_type = encode_result(result)
    except Exception as e:
        error = error_from_exception(e, request_id)
        log_error(error)
        flush_output()
        client.post(
            f"/invocation/{request_id}/error",
            json.dumps(error).encode(),
            "application/json",
            error["errorType"],
        )
        return
    flush_output()
    client.post(f"/invocation/{request_id}/response", payload, content_type)


def report_init_error(client, exc):
    error = error_from_exception(exc)
    logging.warning(UNHANDLED_INIT_WARNING)
    log_error(error)
    flush_output()
    try:
        client.post("/init/error", json.dumps(error).encode(), "application/json", error["errorType"])
    except OSError as e:
        sys.stderr.write(f"lambdalab runtime: cannot post init error: {e}\n")
    sys.exit(1)


def main():
    task_root = os.environ.get("LAMBDA_TASK_ROOT") or os.getcwd()
    # sys.path[0] is this script's directory; user code must resolve from the task root.
    sys.path[0] = task_root
    # Complete lines reach the log even if the emulator kills the process (timeout).
    sys.stdout.reconfigure(line_buffering=True)
    sys.stderr.reconfigure(line_buffering=True)
    client = RuntimeClient(os.environ["AWS_LAMBDA_RUNTIME_API"])
    setup_logging()

    # lambdalab splits INIT into runtime start and function init at this moment (reported on the first /next).
    init_start = {"Lambdalab-Init-Start-Ms": str(int(time.time() * 1000))}
    try:
        handler = load_handler(os.environ.get("_HANDLER", ""))
    except Exception as e:
        report_init_error(client, e)

    while True:
        try:
            headers, body = client.next_invocation(init_start)
            init_start = None
        except Exception as e:
            sys.stderr.write(f"lambdalab runtime: cannot get next invocation: {e!r}\n")
            sys.exit(1)
        handle_invocation(client, handler, headers, body)


if __name__ == "__main__":
    main()
