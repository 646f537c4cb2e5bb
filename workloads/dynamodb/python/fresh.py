"""dynamodb-fresh: a new DynamoDB client, and so a new TCP connection, on every invocation (the workshop's
"Connection Reuse" module, before)."""
import time

import quotes


def handler(event, context):
    started = time.perf_counter()
    client = quotes.new_client()
    client_ms = (time.perf_counter() - started) * 1000
    try:
        quotes.ensure_table(client)
        result = quotes.run(client, event, context.aws_request_id)
    finally:
        client.close()
    result["client_ms"] = client_ms
    return result
