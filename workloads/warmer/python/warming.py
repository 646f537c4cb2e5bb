"""The handler wrapper of the synthetic-events pattern: a warming event ({"warmer": true, "delay": ms}) is
answered early, without running the real handler, after holding the sandbox for `delay` ms so that the
warmer's parallel events cannot share a sandbox. Copy this file next to your handler and decorate it:

    from warming import warmable

    @warmable
    def handler(event, context): ...
"""
import functools
import time


def warmable(handler):
    @functools.wraps(handler)
    def wrapper(event, context):
        if isinstance(event, dict) and event.get("warmer"):
            time.sleep(float(event.get("delay", 300)) / 1000)
            return {"warmed": True, "sandbox": context.log_stream_name}
        return handler(event, context)
    return wrapper
