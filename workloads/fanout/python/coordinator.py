"""fanout: the Map-state pattern (a Step Functions Map state with MaxConcurrency). Splits a job, counting
the primes <= max, into `tasks` ranges, runs each as an invocation of the worker function with at most
`max_concurrency` in flight, and reports the makespan and each task's timing."""
import json
import os
import time
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config

MAX_CONCURRENCY = 100

# Debian's boto3 (1.26) predates AWS_ENDPOINT_URL_<SERVICE>, so the endpoint is passed explicitly (None on
# AWS). botocore's default retries stay on: a throttled task is retried, as a Map state's Retry would.
_lambda = boto3.client("lambda", endpoint_url=os.environ.get("AWS_ENDPOINT_URL_LAMBDA"),
                       config=Config(max_pool_connections=MAX_CONCURRENCY, read_timeout=900))


def split(limit, tasks):
    """[0, limit] as `tasks` consecutive half-open ranges of nearly equal size."""
    bounds = [round(i * (limit + 1) / tasks) for i in range(tasks + 1)]
    return list(zip(bounds, bounds[1:]))


def run_task(worker, index, bounds, sleep_ms, job_started):
    started = time.perf_counter()
    response = _lambda.invoke(FunctionName=worker, Payload=json.dumps(
        {"low": bounds[0], "high": bounds[1], "sleep_ms": sleep_ms}))
    answer = json.loads(response["Payload"].read())
    if "FunctionError" in response:
        raise RuntimeError(f"task {index} failed: {answer}")
    ended = time.perf_counter()
    return {"index": index, "low": bounds[0], "high": bounds[1], "count": answer["count"],
            "sandbox": answer["sandbox"], "worker_ms": answer["duration_ms"],
            "started_ms": (started - job_started) * 1000, "ended_ms": (ended - job_started) * 1000,
            "duration_ms": (ended - started) * 1000}


def handler(event, context):
    worker = event.get("worker") or os.environ.get("FANOUT_WORKER", "fanout-worker")
    limit = int(event.get("max", 100_000_000))
    tasks = int(event.get("tasks", 8))
    max_concurrency = int(event.get("max_concurrency", 4))
    sleep_ms = int(event.get("sleep_ms", 0))
    if not 1 <= tasks <= 1000 or not 1 <= max_concurrency <= MAX_CONCURRENCY or limit < 1:
        raise ValueError(f"tasks must be between 1 and 1000, max_concurrency between 1 and {MAX_CONCURRENCY}, "
                         "max at least 1")
    job_started = time.perf_counter()
    with ThreadPoolExecutor(max_concurrency) as pool:
        results = list(pool.map(lambda item: run_task(worker, item[0], item[1], sleep_ms, job_started),
                                enumerate(split(limit, tasks))))
    return {"count": sum(r["count"] for r in results), "max": limit, "tasks": tasks,
            "max_concurrency": max_concurrency, "makespan_ms": (time.perf_counter() - job_started) * 1000,
            "sum_of_durations_ms": sum(r["duration_ms"] for r in results),
            "sandboxes": len({r["sandbox"] for r in results}), "results": results}
