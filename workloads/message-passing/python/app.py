"""message-passing: SAAF's message-passing experiment (TCSS 562 tutorial 9). A function spreads a message to
its own sandboxes by invoking itself: the client makes one call; a sandbox that receives the message for the
first time passes it on with `spread` parallel calls, for `rounds` rounds; one that already has it does not.
Lambda routes each call, so how many calls it takes to reach every sandbox is what is measured. Every call
returns the calls its subtree made, so the first one reports which sandbox received how many.

Under reserved concurrency a call can be throttled (429 TooManyRequestsException): it is retried with
capped exponential backoff and jitter, and given up (counted as dropped) after MAX_ATTEMPTS, about 6 to
11 s: a sandbox frees up as soon as any call of the run ends, unless every sandbox is a parent waiting
for its own calls (1 + spread + ... + spread^(rounds-1) >= the reserved concurrency), which no wait cures."""
import collections
import json
import os
import random
import time
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config

MAX_ATTEMPTS = 10
BACKOFF_BASE_S = 0.1
BACKOFF_CAP_S = 2.0

# Debian's boto3 (1.26) predates AWS_ENDPOINT_URL_<SERVICE>, so the endpoint is passed explicitly (None on
# AWS). botocore's own retries are off: throttling is handled (and counted) here.
_lambda = boto3.client("lambda", endpoint_url=os.environ.get("AWS_ENDPOINT_URL_LAMBDA"),
                       config=Config(max_pool_connections=50, read_timeout=900, retries={"total_max_attempts": 1}))

_received = None  # the (run, message) this sandbox last received


def empty_report():
    return {"sandboxes": collections.Counter(), "calls": 0, "throttled": 0, "dropped": 0, "errors": 0}


def merge(report, other):
    report["sandboxes"].update(other["sandboxes"])
    for key in ("calls", "throttled", "dropped", "errors"):
        report[key] += other[key]


def backoff(attempt):
    """Equal jitter: half the capped exponential delay, plus up to as much again at random, so throttled
    callers spread out but none retries at once."""
    delay = min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** attempt)
    return delay / 2 + random.uniform(0, delay / 2)


def pass_on(function_name, call):
    """One call to a sandbox of this function, retried while throttled; the subtree's report."""
    report = empty_report()
    for attempt in range(MAX_ATTEMPTS):
        if attempt:
            time.sleep(backoff(attempt - 1))
        try:
            response = _lambda.invoke(FunctionName=function_name, Payload=json.dumps(call))
        except _lambda.exceptions.TooManyRequestsException:
            report["throttled"] += 1
            continue
        answer = json.loads(response["Payload"].read())
        if "FunctionError" in response:
            report["errors"] += 1
        else:
            answer["sandboxes"] = collections.Counter(answer["sandboxes"])
            merge(report, answer)
        return report
    report["dropped"] += 1
    return report


def receive(call, context):
    """Handles one call: records it, and passes the message on if it is new to this sandbox."""
    global _received
    report = empty_report()
    report["sandboxes"][context.log_stream_name] += 1
    report["calls"] = 1
    is_new = _received != (call["run"], call["message"])
    _received = (call["run"], call["message"])
    if is_new and call["rounds"] > 0:
        next_call = dict(call, rounds=call["rounds"] - 1)
        with ThreadPoolExecutor(call["spread"]) as pool:
            for subtree in pool.map(lambda _: pass_on(context.function_name, next_call), range(call["spread"])):
                merge(report, subtree)
    else:
        # Keeps this sandbox busy for a while, so that parallel calls reach other sandboxes (SAAF's advice).
        time.sleep(call["hold_ms"] / 1000)
    return report


def start(event, context):
    """The client's call: starts a run and returns the whole run's report."""
    call = {"run": context.aws_request_id, "message": str(event.get("message", "The Data")),
            "rounds": int(event.get("rounds", 2)), "spread": int(event.get("spread", 3)),
            "hold_ms": int(event.get("hold_ms", 200))}
    if not 0 <= call["rounds"] <= 10 or not 1 <= call["spread"] <= 50:
        raise ValueError("rounds must be between 0 and 10, spread between 1 and 50")
    started = time.perf_counter()
    report = receive(call, context)
    return dict(report, run=call["run"], rounds=call["rounds"], spread=call["spread"],
                nodes=len(report["sandboxes"]), elapsed_ms=(time.perf_counter() - started) * 1000)


def handler(event, context):
    return receive(event, context) if "run" in event else start(event, context)
