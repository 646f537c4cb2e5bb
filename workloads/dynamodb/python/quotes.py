"""The connection-reuse experiment's work, shared by reuse.py and fresh.py: each invocation puts one stock
quote and runs three queries (the latest quotes of three symbols) against DynamoDB."""
import os
import random
import time
from decimal import Decimal

import boto3
from boto3.dynamodb.types import TypeDeserializer

TABLE = os.environ.get("TABLE_NAME", "lambdalab-quotes")
DEFAULT_SYMBOLS = ["AMZN", "MSFT", "NFLX"]

_deserializer = TypeDeserializer()
_table_ready = False


def new_client():
    """A DynamoDB client with its own connection pool. Debian's boto3 (1.26) predates the
    AWS_ENDPOINT_URL_<SERVICE> variables, so the endpoint is passed explicitly; on AWS it is unset
    (None), which means the default endpoint."""
    return boto3.client("dynamodb", endpoint_url=os.environ.get("AWS_ENDPOINT_URL_DYNAMODB"))


def ensure_table(client):
    """Creates the table unless it exists (another sandbox may be creating it at the same moment), and
    waits until it is ACTIVE. Done once per sandbox."""
    global _table_ready
    if _table_ready:
        return
    try:
        client.create_table(
            TableName=TABLE, BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "symbol", "KeyType": "HASH"}, {"AttributeName": "ts", "KeyType": "RANGE"}],
            AttributeDefinitions=[{"AttributeName": "symbol", "AttributeType": "S"},
                                  {"AttributeName": "ts", "AttributeType": "N"}])
    except client.exceptions.ResourceInUseException:
        pass
    client.get_waiter("table_exists").wait(TableName=TABLE, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
    _table_ready = True


def symbols_of(event):
    symbols = event.get("symbols", DEFAULT_SYMBOLS)
    if not isinstance(symbols, list) or not symbols or not all(isinstance(s, str) and s for s in symbols):
        raise ValueError("symbols must be a non-empty list of non-empty strings")
    return symbols


def latest_quotes(client, symbol, limit):
    response = client.query(TableName=TABLE, KeyConditionExpression="symbol = :symbol",
                            ExpressionAttributeValues={":symbol": {"S": symbol}},
                            ScanIndexForward=False, Limit=limit)
    return [{name: _deserializer.deserialize(value) for name, value in item.items()} for item in response["Items"]]


def run(client, event, request_id):
    """Puts a quote for one of the symbols, then queries the latest `limit` quotes of every symbol (the new
    quote among them)."""
    symbols = symbols_of(event)
    limit = int(event.get("limit", 5))
    started = time.perf_counter()
    quote = {"symbol": random.choice(symbols), "ts": time.time_ns(),
             "price": Decimal(f"{random.uniform(10, 1000):.2f}"), "request_id": request_id}
    client.put_item(TableName=TABLE, Item={"symbol": {"S": quote["symbol"]}, "ts": {"N": str(quote["ts"])},
                                           "price": {"N": str(quote["price"])}, "request_id": {"S": request_id}})
    read = {symbol: latest_quotes(client, symbol, limit) for symbol in symbols}
    return {"table": TABLE, "put": quote, "read": read, "dynamodb_ms": (time.perf_counter() - started) * 1000}
