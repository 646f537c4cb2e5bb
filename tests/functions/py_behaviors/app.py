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
        with open(event["path"], "a") as marker:
            marker.write(json.dumps({"request_id": context.aws_request_id, "time": time.time()}) + "\n")
        if event.get("then") == "raise":
            raise RuntimeError("failed after touching")
        return {"touched": event["path"]}
    raise ValueError(f"unknown behaviour {do!r}")
