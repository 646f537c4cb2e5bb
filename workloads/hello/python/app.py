import os


def handler(event, context):
    print(f"hello from Python, request {context.aws_request_id}")
    return {
        "message": "hello from Python",
        "event": event,
        "function": context.function_name,
        "memory_mb": int(context.memory_limit_in_mb),
        "remaining_ms": context.get_remaining_time_in_millis(),
        "region": os.environ.get("AWS_REGION"),
    }
