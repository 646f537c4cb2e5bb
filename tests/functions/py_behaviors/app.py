"""A Python function whose behaviour each event chooses ({"do": ...}); init behaviour comes from env."""
import json
import os
import signal
import sys
import time

_init = os.environ.get("INIT_BEHAVIOUR", "")
if _init == "import-error":
    import module_that_does_not_exist  # noqa: F401
elif _init == "raise":
    raise RuntimeError("init failed on purpose")
elif _init.startswith("sleep:"):
    time.sleep(float(_init.split(":", 1)[1]))
elif _init.startswith("exit:"):
    os._exit(int(_init.split(":", 1)[1]))
print("init done", flush=True)

invocations = 0  # counts invocations in this sandbox: survives between warm invocations only
background = None  # a thread that keeps writing timestamps (to see whether the sandbox is frozen)


def _tick(path, first_written):
    while True:
        with open(path, "a") as ticks:
            ticks.write(f"{time.time()}\n")
        first_written.set()
        time.sleep(0.02)


def handler(event, context):
    global invocations
    invocations += 1
    do = event.get("do", "echo") if isinstance(event, dict) else "echo"
    if do == "echo":
        return {"event": event, "invocations": invocations, "pid": os.getpid(),
                "sandbox": os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME"), "request_id": context.aws_request_id}
    if do == "print":
        print(event["text"])
        return {"printed": True}
    if do == "raise":
        raise ValueError(event.get("message", "boom"))
    if do == "sleep":
        time.sleep(event["seconds"])
        return {"slept": event["seconds"], "pid": os.getpid()}
    if do == "exit":
        sys.stdout.flush()
        os._exit(event.get("code", 42))
    if do == "signal":
        os.kill(os.getpid(), event.get("signal", signal.SIGSEGV))
    if do == "big":
        return "x" * event["bytes"]
    if do == "env":
        return dict(os.environ)
    if do == "context":
        return {"function_name": context.function_name, "function_version": context.function_version,
                "invoked_function_arn": context.invoked_function_arn,
                "memory_limit_in_mb": context.memory_limit_in_mb, "aws_request_id": context.aws_request_id,
                "log_group_name": context.log_group_name, "log_stream_name": context.log_stream_name,
                "remaining_ms": context.get_remaining_time_in_millis(),
                "client_context": context.client_context.custom if context.client_context else None}
    if do == "memory":
        block = bytearray(event["mb"] * 1024 * 1024)
        for i in range(0, len(block), 4096):
            block[i] = 1
        return {"allocated_mb": event["mb"]}
    if do == "touch":
        time.sleep(event.get("after", 0))
        with open(event["path"], "a") as marker:
            marker.write(json.dumps({"request_id": context.aws_request_id, "time": time.time()}) + "\n")
        if event.get("then") == "raise":
            raise RuntimeError("failed after touching")
        return {"touched": event["path"]}
    if do == "background":
        global background
        if background is None:
            import threading
            first_written = threading.Event()
            background = threading.Thread(target=_tick, args=(event["path"], first_written), daemon=True)
            background.start()
            # Answer only once a tick is on disk: otherwise a busy host may freeze the sandbox before the
            # thread ever ran, and the test would read an empty file.
            first_written.wait(5)
        return {"started": True, "time": time.time()}
    if do == "tmp":
        # /tmp is the sandbox's own: what one invocation leaves, the next one in the same sandbox finds.
        found = os.path.exists("/tmp/left-by-" + event["tag"])
        with open(f"/tmp/left-by-{event['tag']}", "w") as f:
            f.write(str(os.getpid()))
        return {"found": found, "pid": os.getpid(), "tmpdir": os.environ.get("TMPDIR")}
    if do == "fill_tmp":
        written = 0
        chunk = b"z" * (1 << 20)
        try:
            with open("/tmp/fill", "wb") as f:
                for _ in range(event["mb"]):
                    f.write(chunk)
                    f.flush()
                    written += 1
            return {"written_mb": written, "error": None}
        except OSError as e:
            return {"written_mb": written, "error": e.strerror}
        finally:
            if os.path.exists("/tmp/fill"):
                os.remove("/tmp/fill")
    raise ValueError(f"unknown behaviour {do!r}")
