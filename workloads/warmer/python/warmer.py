"""warmer: the synthetic-events pattern (the workshop's "Synthetic Events" module, after lambda-warmer).
Invokes a target `concurrency` times at once with a warming event: the first concurrency - 1 from
background threads, the last from the handler itself, as the original fires its invocations without
waiting and makes only the last one synchronously. The target's wrapper (warming.py) holds each sandbox
for `delay` ms, so every event needs a sandbox of its own. Returns how many distinct sandboxes answered."""
import json
import os
import time
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config

MAX_CONCURRENCY = 200

# Debian's boto3 (1.26) predates AWS_ENDPOINT_URL_<SERVICE>, so the endpoint is passed explicitly (None on
# AWS). No retries: a throttled warming event is reported, not retried into an already warm sandbox.
_lambda = boto3.client("lambda", endpoint_url=os.environ.get("AWS_ENDPOINT_URL_LAMBDA"),
                       config=Config(max_pool_connections=MAX_CONCURRENCY, read_timeout=900,
                                     retries={"total_max_attempts": 1}))


def warm_one(target, payload):
    """The sandbox that answered, or None for an event that did not warm anything."""
    try:
        response = _lambda.invoke(FunctionName=target, Payload=payload)
    except _lambda.exceptions.TooManyRequestsException:
        return None
    answer = json.loads(response["Payload"].read() or b"null")
    if "FunctionError" in response or not isinstance(answer, dict):
        return None
    return answer.get("sandbox")


def handler(event, context):
    target = event.get("target") or os.environ.get("WARMER_TARGET", "warmer-target")
    concurrency = int(event.get("concurrency", 5))
    delay = int(event.get("delay", 300))
    if not 1 <= concurrency <= MAX_CONCURRENCY:
        raise ValueError(f"concurrency must be between 1 and {MAX_CONCURRENCY}")
    payload = json.dumps({"warmer": True, "delay": delay})
    started = time.perf_counter()
    with ThreadPoolExecutor(max(1, concurrency - 1)) as pool:
        background = [pool.submit(warm_one, target, payload) for _ in range(concurrency - 1)]
        last = warm_one(target, payload)
        answers = [future.result() for future in background] + [last]
    sandboxes = sorted({sandbox for sandbox in answers if sandbox})
    return {"target": target, "concurrency": concurrency, "delay": delay, "sandboxes": len(sandboxes),
            "log_streams": sandboxes, "failed": answers.count(None),
            "elapsed_ms": (time.perf_counter() - started) * 1000}
