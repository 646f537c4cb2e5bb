"""lambdalab's DynamoDB service, driven by boto3 (Debian's python3-boto3) and the JS SDK v3 exactly as
they talk to DynamoDB: every operation, DynamoDB's errors for bad requests, data that survives a
restart, the simulated latency, and a function reaching it through AWS_ENDPOINT_URL_DYNAMODB."""
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import uuid
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from harness import CLIENTS_DIR, LAMBDALAB_BIN, REPO, Emulator, function  # noqa: E402

from botocore.exceptions import ClientError  # noqa: E402

NO_LATENCY = ["--dynamodb-port", "0", "--dynamodb-latency", "none"]


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def create_table(client, name, hash_type="S", range_type=None, hash_name="pk", range_name="sk"):
    keys = [{"AttributeName": hash_name, "KeyType": "HASH"}]
    definitions = [{"AttributeName": hash_name, "AttributeType": hash_type}]
    if range_type:
        keys.append({"AttributeName": range_name, "KeyType": "RANGE"})
        definitions.append({"AttributeName": range_name, "AttributeType": range_type})
    client.create_table(TableName=name, KeySchema=keys, AttributeDefinitions=definitions, BillingMode="PAY_PER_REQUEST")
    return name


def raw_request(port, target, body, content_type="application/x-amz-json-1.0", method="POST"):
    """A request as an SDK would send it, without the SDK: (status, headers, parsed body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {"Content-Type": content_type}
        if target:
            headers["X-Amz-Target"] = target
        connection.request(method, "/", body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data
    finally:
        connection.close()


class DynamoDbTestCase(unittest.TestCase):
    """One emulator (no latency, a free DynamoDB port) shared by the tests of a class."""

    @classmethod
    def setUpClass(cls):
        cls.emulator = Emulator(extra_args=NO_LATENCY).start()
        cls.port = cls.emulator.wait_dynamodb()
        cls.client = cls.emulator.boto3("dynamodb")

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        code = cls.emulator.stop()
        output = "".join(cls.emulator.output)
        cls.emulator.cleanup()
        if code != 0:
            raise AssertionError(f"lambdalab exited with {code}:\n{output[-4000:]}")

    def assert_error(self, code, message, call, *args, **kwargs):
        with self.assertRaises(ClientError) as raised:
            call(*args, **kwargs)
        error = raised.exception.response["Error"]
        self.assertEqual(error["Code"], code, error)
        if message is not None:
            self.assertEqual(error["Message"], message)
        self.assertEqual(raised.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        return raised.exception


class TablesTest(DynamoDbTestCase):
    def test_create_describe_list_delete(self):
        name = unique("tables")
        created = self.client.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}],
            ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 7})["TableDescription"]
        self.assertEqual(created["TableStatus"], "ACTIVE")
        self.assertEqual(created["TableArn"], f"arn:aws:dynamodb:us-east-1:123456789012:table/{name}")
        self.assertEqual(created["ProvisionedThroughput"]["WriteCapacityUnits"], 7)
        self.client.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 5})

        self.client.put_item(TableName=name, Item={"pk": {"S": "a"}, "sk": {"N": "1"}, "v": {"S": "12345"}})
        table = self.client.describe_table(TableName=name)["Table"]
        self.assertEqual(table["KeySchema"], [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}])
        self.assertEqual(table["ItemCount"], 1)
        self.assertGreater(table["TableSizeBytes"], 0)
        self.assertIn("CreationDateTime", table)

        self.assert_error("ResourceInUseException", f"Table already exists: {name}", self.client.create_table, TableName=name,
                          KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                          AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
        self.assertEqual(self.client.delete_table(TableName=name)["TableDescription"]["TableStatus"], "DELETING")
        self.client.get_waiter("table_not_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 5})
        self.assert_error("ResourceNotFoundException", f"Requested resource not found: Table: {name} not found",
                          self.client.describe_table, TableName=name)
        self.assert_error("ResourceNotFoundException", None, self.client.delete_table, TableName=name)

    def test_list_tables_pages_in_name_order(self):
        prefix = unique("list")
        names = [create_table(self.client, f"{prefix}-{i}") for i in (3, 1, 2)]
        listed, start = [], None
        while True:
            page = self.client.list_tables(Limit=2, **({"ExclusiveStartTableName": start} if start else {}))
            self.assertLessEqual(len(page["TableNames"]), 2)
            listed += page["TableNames"]
            start = page.get("LastEvaluatedTableName")
            if not start:
                break
        mine = [n for n in listed if n.startswith(prefix)]
        self.assertEqual(mine, sorted(names))
        self.assertEqual(listed, sorted(listed))

    def test_invalid_table_definitions(self):
        self.assert_error("ValidationException",
                          "One or more parameter values were invalid: Some index key attributes are not defined in "
                          "AttributeDefinitions. Keys: [sk], AttributeDefinitions: [pk]",
                          self.client.create_table, TableName=unique("bad"), BillingMode="PAY_PER_REQUEST",
                          KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                          AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
        self.assert_error("ValidationException",
                          "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be "
                          "specified when BillingMode is PROVISIONED",
                          self.client.create_table, TableName=unique("bad"),
                          KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                          AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
        error = self.assert_error("ValidationException", None, self.client.create_table, TableName=unique("gsi"),
                                  BillingMode="PAY_PER_REQUEST",
                                  KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                                  AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                                        {"AttributeName": "g", "AttributeType": "S"}],
                                  GlobalSecondaryIndexes=[{"IndexName": "by-g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                                           "Projection": {"ProjectionType": "ALL"}}])
        self.assertIn("secondary indexes", error.response["Error"]["Message"])


class ItemsTest(DynamoDbTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.table = create_table(cls.client, unique("items"), "S", "N")

    def key(self, pk, sk):
        return {"pk": {"S": pk}, "sk": {"N": str(sk)}}

    def test_every_attribute_type_round_trips(self):
        item = {**self.key("types", 1), "s": {"S": "héllo"}, "empty": {"S": ""}, "n": {"N": "-0012.3400"},
                "big": {"N": "12345678901234567890123456789012345678"}, "b": {"B": b"\x00\x01\xfe\xff"},
                "t": {"BOOL": True}, "f": {"BOOL": False}, "null": {"NULL": True},
                "m": {"M": {"inner": {"M": {"deep": {"L": [{"S": "x"}, {"N": "1"}]}}}}},
                "l": {"L": [{"S": "a"}, {"M": {}}, {"L": []}]}, "ss": {"SS": ["b", "a"]}, "ns": {"NS": ["1", "2.5", "-3"]},
                "bs": {"BS": [b"\x01", b"\x02"]}}
        self.assertNotIn("Attributes", self.client.put_item(TableName=self.table, Item=item))
        got = self.client.get_item(TableName=self.table, Key=self.key("types", 1), ConsistentRead=True)["Item"]
        self.assertEqual(got["n"], {"N": "-12.34"}, "numbers come back in canonical form")
        self.assertEqual(got["big"], item["big"])
        self.assertEqual(got["b"], {"B": b"\x00\x01\xfe\xff"})
        for name in ("s", "empty", "t", "f", "null", "m", "l"):
            self.assertEqual(got[name], item[name], name)
        self.assertEqual(sorted(got["ss"]["SS"]), ["a", "b"])
        self.assertEqual(sorted(got["ns"]["NS"], key=Decimal), ["-3", "1", "2.5"])
        self.assertEqual(sorted(got["bs"]["BS"]), [b"\x01", b"\x02"])

    def test_get_projection_and_missing_items(self):
        self.client.put_item(TableName=self.table, Item={**self.key("proj", 1), "a": {"S": "x"},
                                                          "m": {"M": {"k": {"S": "v"}, "other": {"S": "o"}}},
                                                          "l": {"L": [{"S": "l0"}, {"S": "l1"}, {"S": "l2"}]}})
        got = self.client.get_item(TableName=self.table, Key=self.key("proj", 1), ProjectionExpression="#m.k, l[2], a",
                                   ExpressionAttributeNames={"#m": "m"})["Item"]
        self.assertEqual(got, {"a": {"S": "x"}, "m": {"M": {"k": {"S": "v"}}}, "l": {"L": [{"S": "l2"}]}})
        self.assertNotIn("Item", self.client.get_item(TableName=self.table, Key=self.key("proj", 404)))

    def test_put_replaces_and_delete_returns_old(self):
        self.client.put_item(TableName=self.table, Item={**self.key("replace", 1), "old": {"S": "1"}})
        previous = self.client.put_item(TableName=self.table, Item={**self.key("replace", 1), "new": {"S": "2"}}, ReturnValues="ALL_OLD")
        self.assertEqual(previous["Attributes"]["old"], {"S": "1"})
        got = self.client.get_item(TableName=self.table, Key=self.key("replace", 1))["Item"]
        self.assertNotIn("old", got)
        deleted = self.client.delete_item(TableName=self.table, Key=self.key("replace", 1), ReturnValues="ALL_OLD")
        self.assertEqual(deleted["Attributes"]["new"], {"S": "2"})
        self.assertNotIn("Item", self.client.get_item(TableName=self.table, Key=self.key("replace", 1)))
        self.assertNotIn("Attributes", self.client.delete_item(TableName=self.table, Key=self.key("replace", 1), ReturnValues="ALL_OLD"))

    def test_update_expressions(self):
        key = self.key("update", 1)
        self.client.put_item(TableName=self.table, Item={**key, "n": {"N": "10"}, "m": {"M": {"k": {"S": "v"}}},
                                                          "l": {"L": [{"S": "a"}, {"S": "b"}]}, "gone": {"S": "x"},
                                                          "tags": {"SS": ["t1", "t2"]}})
        result = self.client.update_item(
            TableName=self.table, Key=key,
            UpdateExpression="SET n = n + :five, diff = :hundred - :one, created = if_not_exists(created, :now), "
                             "l = list_append(:front, l), m.k = :nested, m.added = :one, #s = :s "
                             "REMOVE gone ADD visits :one, tags :more",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={":five": {"N": "5"}, ":hundred": {"N": "100"}, ":one": {"N": "1"}, ":now": {"S": "today"},
                                       ":front": {"L": [{"S": "z"}]}, ":nested": {"S": "changed"}, ":s": {"S": "ok"},
                                       ":more": {"SS": ["t3"]}},
            ReturnValues="ALL_NEW")["Attributes"]
        self.assertEqual(result["n"], {"N": "15"})
        self.assertEqual(result["diff"], {"N": "99"})
        self.assertEqual(result["created"], {"S": "today"})
        self.assertEqual(result["l"], {"L": [{"S": "z"}, {"S": "a"}, {"S": "b"}]})
        self.assertEqual(result["m"], {"M": {"k": {"S": "changed"}, "added": {"N": "1"}}})
        self.assertEqual(result["status"], {"S": "ok"})
        self.assertNotIn("gone", result)
        self.assertEqual(result["visits"], {"N": "1"})
        self.assertEqual(sorted(result["tags"]["SS"]), ["t1", "t2", "t3"])
        dropped = self.client.update_item(TableName=self.table, Key=key, UpdateExpression="DELETE tags :drop",
                                          ExpressionAttributeValues={":drop": {"SS": ["t1", "t9"]}}, ReturnValues="UPDATED_NEW")
        self.assertEqual(sorted(dropped["Attributes"]["tags"]["SS"]), ["t2", "t3"])
        self.assert_error("ValidationException", "Invalid UpdateExpression: Two document paths overlap with each other; must remove or "
                          "rewrite one of these paths; path one: [tags], path two: [tags]", self.client.update_item,
                          TableName=self.table, Key=key, UpdateExpression="ADD tags :t DELETE tags :t",
                          ExpressionAttributeValues={":t": {"SS": ["t2"]}})

        # if_not_exists keeps an existing value; l[0] addresses a list element; UPDATED_* return what changed.
        changed = self.client.update_item(TableName=self.table, Key=key,
                                          UpdateExpression="SET created = if_not_exists(created, :later), l[0] = :first, n = n - :two",
                                          ExpressionAttributeValues={":later": {"S": "tomorrow"}, ":first": {"S": "A"}, ":two": {"N": "2"}},
                                          ReturnValues="UPDATED_OLD")["Attributes"]
        self.assertEqual(changed, {"created": {"S": "today"}, "l": {"L": [{"S": "z"}]}, "n": {"N": "15"}})
        new = self.client.update_item(TableName=self.table, Key=key, UpdateExpression="ADD n :two",
                                      ExpressionAttributeValues={":two": {"N": "2"}}, ReturnValues="UPDATED_NEW")["Attributes"]
        self.assertEqual(new, {"n": {"N": "15"}})
        old = self.client.update_item(TableName=self.table, Key=key, UpdateExpression="REMOVE m.k", ReturnValues="ALL_OLD")["Attributes"]
        self.assertEqual(old["m"]["M"]["k"], {"S": "changed"})
        got = self.client.get_item(TableName=self.table, Key=key)["Item"]
        self.assertEqual(got["m"], {"M": {"added": {"N": "1"}}})
        self.assertEqual(got["l"]["L"][0], {"S": "A"})

    def test_update_creates_the_item_and_counts_exactly(self):
        key = self.key("counter", 1)
        for _ in range(3):
            self.client.update_item(TableName=self.table, Key=key, UpdateExpression="ADD hits :inc",
                                    ExpressionAttributeValues={":inc": {"N": "0.1"}})
        got = self.client.get_item(TableName=self.table, Key=key)["Item"]
        self.assertEqual(got, {**key, "hits": {"N": "0.3"}}, "decimal arithmetic, never floating point")

    def test_update_errors(self):
        key = self.key("update-errors", 1)
        self.client.put_item(TableName=self.table, Item={**key, "s": {"S": "text"}})
        self.assert_error("ValidationException", "An operand in the update expression has an incorrect data type",
                          self.client.update_item, TableName=self.table, Key=key, UpdateExpression="SET s = s + :one",
                          ExpressionAttributeValues={":one": {"N": "1"}})
        self.assert_error("ValidationException", "The provided expression refers to an attribute that does not exist in the item",
                          self.client.update_item, TableName=self.table, Key=key, UpdateExpression="SET x = nothing + :one",
                          ExpressionAttributeValues={":one": {"N": "1"}})
        self.assert_error("ValidationException",
                          "One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key",
                          self.client.update_item, TableName=self.table, Key=key, UpdateExpression="SET sk = :one",
                          ExpressionAttributeValues={":one": {"N": "1"}})
        self.assert_error("ValidationException", "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name",
                          self.client.update_item, TableName=self.table, Key=key, UpdateExpression="SET name = :one",
                          ExpressionAttributeValues={":one": {"N": "1"}})
        self.assert_error("ValidationException", "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}",
                          self.client.update_item, TableName=self.table, Key=key, UpdateExpression="SET x = :one",
                          ExpressionAttributeValues={":one": {"N": "1"}, ":unused": {"N": "2"}})
        self.assert_error("ValidationException", 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "="',
                          self.client.update_item, TableName=self.table, Key=key, UpdateExpression="SET x =")

    def test_condition_expressions(self):
        key = self.key("cond", 1)
        put = self.client.put_item
        put(TableName=self.table, Item={**key, "n": {"N": "10"}, "s": {"S": "abc"}}, ConditionExpression="attribute_not_exists(pk)")
        self.assert_error("ConditionalCheckFailedException", "The conditional request failed", put, TableName=self.table,
                          Item=key, ConditionExpression="attribute_not_exists(pk)")
        # Debian's botocore predates ReturnValuesOnConditionCheckFailure, so ask for the old item on the wire.
        status, _, data = raw_request(self.port, "DynamoDB_20120810.PutItem", json.dumps(
            {"TableName": self.table, "Item": key, "ConditionExpression": "attribute_not_exists(pk)",
             "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}))
        self.assertEqual(status, 400)
        self.assertEqual(json.loads(data)["Item"]["n"], {"N": "10"})

        values = {":nine": {"N": "9"}, ":ten": {"N": "10"}, ":eleven": {"N": "11"}, ":abc": {"S": "abc"}, ":x": {"S": "x"}}
        holds = ["n = :ten", "n <> :nine", "n < :eleven", "n <= :ten", "n > :nine", "n >= :ten", "attribute_exists(s)",
                 "n > :nine AND s = :abc", "n < :nine OR s = :abc", "NOT n = :nine", "(n = :nine OR n = :ten) AND NOT (s = :x)",
                 "n BETWEEN :nine AND :eleven", "n IN (:nine, :ten)", "begins_with(s, :abc) AND contains(s, :abc)"]
        fails = ["n = :nine", "n <> :ten", "n < :ten", "n > :ten", "attribute_not_exists(s)", "n = :ten AND s = :x",
                 "NOT (n = :ten)", "n = :abc", "missing_attr = :ten"]
        for condition in holds:
            with self.subTest(condition=condition):
                used = {k: v for k, v in values.items() if k in condition}
                self.client.update_item(TableName=self.table, Key=key, UpdateExpression="SET touched = :x",
                                        ConditionExpression=condition, ExpressionAttributeValues={**used, ":x": values[":x"]})
        for condition in fails:
            with self.subTest(condition=condition):
                used = {k: v for k, v in values.items() if k in condition}
                self.assert_error("ConditionalCheckFailedException", "The conditional request failed", self.client.delete_item,
                                  TableName=self.table, Key=key, ConditionExpression=condition,
                                  **({"ExpressionAttributeValues": used} if used else {}))
        self.assertIn("Item", self.client.get_item(TableName=self.table, Key=key), "a failed condition deletes nothing")
        self.client.delete_item(TableName=self.table, Key=key, ConditionExpression="n = :ten", ExpressionAttributeValues={":ten": values[":ten"]})
        self.assertNotIn("Item", self.client.get_item(TableName=self.table, Key=key))
        # On a missing item only attribute_not_exists (and <>) can hold.
        self.assert_error("ConditionalCheckFailedException", None, self.client.update_item, TableName=self.table, Key=key,
                          UpdateExpression="SET n = :ten", ConditionExpression="attribute_exists(pk)",
                          ExpressionAttributeValues={":ten": values[":ten"]})
        self.assertNotIn("Item", self.client.get_item(TableName=self.table, Key=key))

    def test_boto3_resource_layer(self):
        import boto3
        from boto3.dynamodb.conditions import Attr, Key
        resource = boto3.resource("dynamodb", endpoint_url=f"http://127.0.0.1:{self.port}", region_name="us-east-1",
                                  aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret")
        table = resource.Table(self.table)
        with table.batch_writer() as batch:
            for i in range(30):
                batch.put_item(Item={"pk": "resource", "sk": i, "price": Decimal("1.10") * i, "odd": i % 2 == 1})
        result = table.query(KeyConditionExpression=Key("pk").eq("resource") & Key("sk").between(10, 19),
                             FilterExpression=Attr("odd").eq(True), ScanIndexForward=False)
        self.assertEqual([item["sk"] for item in result["Items"]], [19, 17, 15, 13, 11])
        self.assertEqual(result["Items"][0]["price"], Decimal("20.9"))
        table.update_item(Key={"pk": "resource", "sk": 3}, UpdateExpression="SET price = price + :p",
                          ExpressionAttributeValues={":p": Decimal("0.01")})
        self.assertEqual(table.get_item(Key={"pk": "resource", "sk": 3})["Item"]["price"], Decimal("3.31"))


class QueryAndScanTest(DynamoDbTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.numbers = create_table(cls.client, unique("numbers"), "S", "N")
        cls.sort_keys = ["-10", "-2.5", "0", "1", "2", "9", "10", "11", "99", "100", "1000", "1e6"]
        for n in cls.sort_keys:
            cls.client.put_item(TableName=cls.numbers, Item={"pk": {"S": "p"}, "sk": {"N": n}, "even": {"BOOL": Decimal(n) % 2 == 0},
                                                              "payload": {"S": "x" * 10}})
        cls.client.put_item(TableName=cls.numbers, Item={"pk": {"S": "other"}, "sk": {"N": "5"}})

    def query(self, condition, values, **extra):
        return self.client.query(TableName=self.numbers, KeyConditionExpression=condition,
                                 ExpressionAttributeValues={":p": {"S": "p"}, **values}, **extra)

    def sks(self, response):
        return [item["sk"]["N"] for item in response["Items"]]

    def test_numbers_sort_numerically(self):
        expected = ["-10", "-2.5", "0", "1", "2", "9", "10", "11", "99", "100", "1000", "1000000"]
        self.assertEqual(self.sks(self.query("pk = :p", {})), expected)
        self.assertEqual(self.sks(self.query("pk = :p", {}, ScanIndexForward=False)), expected[::-1])

    def test_sort_key_conditions(self):
        cases = {"sk = :v": (["10"], {":v": {"N": "10.0"}}),
                 "sk < :v": (["-10", "-2.5", "0", "1", "2", "9"], {":v": {"N": "10"}}),
                 "sk <= :v": (["-10", "-2.5", "0", "1", "2", "9", "10"], {":v": {"N": "10"}}),
                 "sk > :v": (["100", "1000", "1000000"], {":v": {"N": "99"}}),
                 "sk >= :v": (["99", "100", "1000", "1000000"], {":v": {"N": "99"}}),
                 "sk BETWEEN :a AND :b": (["9", "10", "11"], {":a": {"N": "3"}, ":b": {"N": "11"}})}
        for condition, (expected, values) in cases.items():
            with self.subTest(condition=condition):
                self.assertEqual(self.sks(self.query(f"pk = :p AND {condition}", values)), expected)
                self.assertEqual(self.sks(self.query(f"(pk = :p) AND ({condition})", values, ScanIndexForward=False)), expected[::-1])

    def test_paging_with_limit_and_exclusive_start_key(self):
        for forward in (True, False):
            seen, start, pages = [], None, 0
            while True:
                extra = {"ExclusiveStartKey": start} if start else {}
                page = self.query("pk = :p", {}, Limit=5, ScanIndexForward=forward, **extra)
                self.assertLessEqual(page["Count"], 5)
                seen += self.sks(page)
                pages += 1
                start = page.get("LastEvaluatedKey")
                if not start:
                    break
                self.assertEqual(set(start), {"pk", "sk"})
            expected = ["-10", "-2.5", "0", "1", "2", "9", "10", "11", "99", "100", "1000", "1000000"]
            self.assertEqual(seen, expected if forward else expected[::-1])
            self.assertEqual(pages, 3)

    def test_filter_select_count_and_projection(self):
        filtered = self.query("pk = :p AND sk >= :zero", {":zero": {"N": "0"}, ":t": {"BOOL": True}}, FilterExpression="even = :t")
        self.assertEqual(self.sks(filtered), ["0", "2", "10", "100", "1000", "1000000"])
        self.assertEqual(filtered["ScannedCount"], 10)
        counted = self.query("pk = :p", {":t": {"BOOL": True}}, FilterExpression="even = :t", Select="COUNT", Limit=4)
        self.assertNotIn("Items", counted)
        self.assertEqual((counted["Count"], counted["ScannedCount"]), (2, 4))  # -10 and 0 of -10, -2.5, 0, 1
        self.assertIn("LastEvaluatedKey", counted)
        projected = self.query("pk = :p AND sk = :one", {":one": {"N": "1"}}, ProjectionExpression="sk, even")
        self.assertEqual(projected["Items"], [{"sk": {"N": "1"}, "even": {"BOOL": False}}])

    def test_strings_and_binaries_sort_by_bytes_and_begins_with(self):
        strings = create_table(self.client, unique("strings"), "S", "S")
        words = ["b", "a/2", "a", "Z", "a/1", "é", "ab", "a/10"]
        for word in words:
            self.client.put_item(TableName=strings, Item={"pk": {"S": "p"}, "sk": {"S": word}})
        everything = self.client.query(TableName=strings, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "p"}})
        self.assertEqual([i["sk"]["S"] for i in everything["Items"]], sorted(words, key=lambda w: w.encode()))
        prefixed = self.client.query(TableName=strings, KeyConditionExpression="pk = :p AND begins_with(sk, :a)",
                                     ExpressionAttributeValues={":p": {"S": "p"}, ":a": {"S": "a/"}})
        self.assertEqual([i["sk"]["S"] for i in prefixed["Items"]], ["a/1", "a/10", "a/2"])

        binaries = create_table(self.client, unique("binaries"), "B", "B")
        values = [b"\xff", b"\x00", b"\x7f\x01", b"\x7f", b"\x80"]
        for value in values:
            self.client.put_item(TableName=binaries, Item={"pk": {"B": b"k"}, "sk": {"B": value}})
        ordered = self.client.query(TableName=binaries, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"B": b"k"}})
        self.assertEqual([i["sk"]["B"] for i in ordered["Items"]], sorted(values))

    def test_query_errors(self):
        self.assert_error("ValidationException", "Query condition missed key schema element: pk", self.client.query,
                          TableName=self.numbers, KeyConditionExpression="sk = :v", ExpressionAttributeValues={":v": {"N": "1"}})
        self.assert_error("ValidationException", "Query key condition not supported", self.query, "pk > :p", {})
        self.assert_error("ValidationException", "Invalid operator used in KeyConditionExpression: OR", self.query,
                          "pk = :p OR sk = :v", {":v": {"N": "1"}})
        self.assert_error("ValidationException",
                          "One or more parameter values were invalid: Condition parameter type does not match schema type",
                          self.query, "pk = :p AND sk = :v", {":v": {"S": "1"}})
        self.assert_error("ValidationException", "Filter Expression can only contain non-primary key attributes: Primary key attribute: sk",
                          self.query, "pk = :p", {":v": {"N": "1"}}, FilterExpression="sk = :v")
        self.assert_error("ValidationException",
                          "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.",
                          self.client.query, TableName=self.numbers)
        self.assert_error("ValidationException", "The table does not have the specified index: by-other", self.query,
                          "pk = :p", {}, IndexName="by-other")

    def test_scan_pages_filters_and_segments(self):
        everything, start = [], None
        while True:
            page = self.client.scan(TableName=self.numbers, Limit=4, **({"ExclusiveStartKey": start} if start else {}))
            everything += [(i["pk"]["S"], i["sk"]["N"]) for i in page["Items"]]
            start = page.get("LastEvaluatedKey")
            if not start:
                break
        self.assertEqual(len(everything), len(self.sort_keys) + 1)
        self.assertEqual(len(set(everything)), len(everything), "no item twice")
        filtered = self.client.scan(TableName=self.numbers, FilterExpression="even = :t AND sk > :v",
                                    ExpressionAttributeValues={":t": {"BOOL": True}, ":v": {"N": "50"}})
        self.assertEqual(sorted(Decimal(i["sk"]["N"]) for i in filtered["Items"]), [100, 1000, 1000000])
        self.assertEqual(filtered["ScannedCount"], len(self.sort_keys) + 1)
        self.assertEqual(self.client.scan(TableName=self.numbers, Select="COUNT")["Count"], len(self.sort_keys) + 1)
        segments = []
        for segment in range(3):
            segments += [(i["pk"]["S"], i["sk"]["N"]) for i in
                         self.client.scan(TableName=self.numbers, Segment=segment, TotalSegments=3)["Items"]]
        self.assertEqual(sorted(segments), sorted(everything), "parallel scan segments cover the table exactly once")


class BatchTest(DynamoDbTestCase):
    def test_batch_write_and_get(self):
        table = create_table(self.client, unique("batch"), "S", "N")
        other = create_table(self.client, unique("batch-other"), "N")
        puts = [{"PutRequest": {"Item": {"pk": {"S": "b"}, "sk": {"N": str(i)}, "v": {"N": str(i * i)}}}} for i in range(24)]
        result = self.client.batch_write_item(RequestItems={table: puts, other: [{"PutRequest": {"Item": {"pk": {"N": "1"}}}}]})
        self.assertEqual(result["UnprocessedItems"], {})
        keys = [{"pk": {"S": "b"}, "sk": {"N": str(i)}} for i in range(99)]
        got = self.client.batch_get_item(RequestItems={table: {"Keys": keys, "ProjectionExpression": "sk, v"},
                                                       other: {"Keys": [{"pk": {"N": "1"}}]}})
        self.assertEqual(got["UnprocessedKeys"], {})
        self.assertEqual(sorted(int(i["v"]["N"]) for i in got["Responses"][table]), [i * i for i in range(24)])
        self.assertEqual(set(got["Responses"][table][0]), {"sk", "v"})
        self.assertEqual(got["Responses"][other], [{"pk": {"N": "1"}}])

        deletes = [{"DeleteRequest": {"Key": {"pk": {"S": "b"}, "sk": {"N": str(i)}}}} for i in range(0, 24, 2)]
        self.client.batch_write_item(RequestItems={table: deletes})
        self.assertEqual(self.client.scan(TableName=table, Select="COUNT")["Count"], 12)

    def test_batch_limits_and_errors(self):
        table = create_table(self.client, unique("batch-errors"), "S")
        too_many = [{"PutRequest": {"Item": {"pk": {"S": str(i)}}}} for i in range(26)]
        self.assert_error("ValidationException", None, self.client.batch_write_item, RequestItems={table: too_many})
        keys = [{"pk": {"S": str(i)}} for i in range(101)]
        self.assert_error("ValidationException", "Too many items requested for the BatchGetItem call",
                          self.client.batch_get_item, RequestItems={table: {"Keys": keys}})
        self.assert_error("ValidationException", "Provided list of item keys contains duplicates", self.client.batch_write_item,
                          RequestItems={table: [{"PutRequest": {"Item": {"pk": {"S": "d"}}}},
                                                {"DeleteRequest": {"Key": {"pk": {"S": "d"}}}}]})
        self.assert_error("ResourceNotFoundException", "Requested resource not found", self.client.batch_get_item,
                          RequestItems={"no-such-table": {"Keys": [{"pk": {"S": "x"}}]}})
        # A batch with one bad request writes nothing.
        self.assert_error("ValidationException", "One of the required keys was not given a value", self.client.batch_write_item,
                          RequestItems={table: [{"PutRequest": {"Item": {"pk": {"S": "good"}}}},
                                                {"PutRequest": {"Item": {"other": {"S": "bad"}}}}]})
        self.assertNotIn("Item", self.client.get_item(TableName=table, Key={"pk": {"S": "good"}}))


class TransactionsTest(DynamoDbTestCase):
    def test_transact_write_and_get(self):
        table = create_table(self.client, unique("accounts"), "S")
        self.client.put_item(TableName=table, Item={"pk": {"S": "alice"}, "balance": {"N": "100"}})
        self.client.put_item(TableName=table, Item={"pk": {"S": "bob"}, "balance": {"N": "0"}})

        def transfer(amount):
            value = {":a": {"N": str(amount)}}
            return self.client.transact_write_items(TransactItems=[
                {"Update": {"TableName": table, "Key": {"pk": {"S": "alice"}}, "UpdateExpression": "SET balance = balance - :a",
                            "ConditionExpression": "balance >= :a", "ExpressionAttributeValues": value}},
                {"Update": {"TableName": table, "Key": {"pk": {"S": "bob"}}, "UpdateExpression": "SET balance = balance + :a",
                            "ExpressionAttributeValues": value}},
                {"Put": {"TableName": table, "Item": {"pk": {"S": f"log-{amount}"}}, "ConditionExpression": "attribute_not_exists(pk)"}},
            ])

        transfer(60)
        with self.assertRaises(ClientError) as raised:
            transfer(50)  # alice has 40 left
        error = raised.exception.response
        self.assertEqual(error["Error"]["Code"], "TransactionCanceledException")
        self.assertEqual([r["Code"] for r in error["CancellationReasons"]], ["ConditionalCheckFailed", "None", "None"])

        got = self.client.transact_get_items(TransactItems=[
            {"Get": {"TableName": table, "Key": {"pk": {"S": name}}}} for name in ("alice", "bob", "log-60", "log-50")])
        items = [response.get("Item") for response in got["Responses"]]
        self.assertEqual(items[0]["balance"], {"N": "40"})
        self.assertEqual(items[1]["balance"], {"N": "60"})
        self.assertIsNotNone(items[2])
        self.assertIsNone(items[3], "a cancelled transaction writes nothing")


class BadRequestsTest(DynamoDbTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.table = create_table(cls.client, unique("bad"), "S", "N")

    def test_key_errors(self):
        self.assert_error("ValidationException", "One of the required keys was not given a value", self.client.put_item,
                          TableName=self.table, Item={"pk": {"S": "a"}})
        self.assert_error("ValidationException", "One or more parameter values were invalid: Type mismatch for key sk expected: N actual: S",
                          self.client.put_item, TableName=self.table, Item={"pk": {"S": "a"}, "sk": {"S": "1"}})
        self.assert_error("ValidationException", "The provided key element does not match the schema", self.client.get_item,
                          TableName=self.table, Key={"pk": {"S": "a"}, "sk": {"S": "1"}})
        self.assert_error("ValidationException", "The provided key element does not match the schema", self.client.get_item,
                          TableName=self.table, Key={"pk": {"S": "a"}})
        self.assert_error("ValidationException", "The provided key element does not match the schema", self.client.delete_item,
                          TableName=self.table, Key={"pk": {"S": "a"}, "sk": {"N": "1"}, "extra": {"S": "x"}})
        self.assert_error("ValidationException",
                          "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an "
                          "empty string value. Key: pk",
                          self.client.put_item, TableName=self.table, Item={"pk": {"S": ""}, "sk": {"N": "1"}})

    def test_unknown_table(self):
        for call, kwargs in [(self.client.get_item, {"Key": {"pk": {"S": "a"}}}), (self.client.put_item, {"Item": {"pk": {"S": "a"}}}),
                             (self.client.query, {"KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": "a"}}}),
                             (self.client.scan, {})]:
            with self.subTest(call=call.__name__):
                self.assert_error("ResourceNotFoundException", "Requested resource not found", call, TableName="no-such-table", **kwargs)

    def test_item_size_limit(self):
        key = {"pk": {"S": "big"}, "sk": {"N": "1"}}
        # 400 KB counts attribute names and values: this one is just under, the next just over.
        fits = 400 * 1024 - len("pk") - 3 - len("sk") - 2 - len("data")
        self.client.put_item(TableName=self.table, Item={**key, "data": {"S": "x" * fits}})
        self.assert_error("ValidationException", "Item size has exceeded the maximum allowed size", self.client.put_item,
                          TableName=self.table, Item={**key, "data": {"S": "x" * (fits + 1)}})
        self.assert_error("ValidationException", "Item size to update has exceeded the maximum allowed size", self.client.update_item,
                          TableName=self.table, Key=key, UpdateExpression="SET more = :m", ExpressionAttributeValues={":m": {"S": "yy"}})

    def test_invalid_values(self):
        item = {"pk": {"S": "v"}, "sk": {"N": "1"}}
        cases = [({"n": {"N": "one"}}, "The parameter cannot be converted to a numeric value: one"),
                 ({"n": {"N": "1e126"}}, "Number overflow. Attempting to store a number with magnitude larger than supported range"),
                 ({"n": {"N": "1" * 39}}, "Attempting to store more than 38 significant digits in a Number"),
                 ({"s": {"SS": []}}, "One or more parameter values were invalid: An string set  may not be empty"),
                 ({"s": {"SS": ["a", "a"]}}, "One or more parameter values were invalid: Input collection [a, a] contains duplicates."),
                 ({"s": {"NULL": False}}, "One or more parameter values were invalid: Null attribute value types must have the value of true")]
        for extra, message in cases:
            with self.subTest(extra=extra):
                self.assert_error("ValidationException", message, self.client.put_item, TableName=self.table, Item={**item, **extra})

    def test_error_shape_on_the_wire(self):
        body = json.dumps({"TableName": self.table, "Key": {"pk": {"S": "a"}}})
        status, headers, data = raw_request(self.port, "DynamoDB_20120810.GetItem", body)
        self.assertEqual(status, 400)
        self.assertEqual(headers["content-type"], "application/x-amz-json-1.0")
        self.assertEqual(len(headers["x-amzn-requestid"]), 52)
        self.assertEqual(json.loads(data), {"__type": "com.amazonaws.dynamodb.v20120810#ValidationException",
                                            "message": "The provided key element does not match the schema"})

        status, _, data = raw_request(self.port, "DynamoDB_20120810.GetItem", "{not json")
        self.assertEqual(status, 400)
        self.assertTrue(json.loads(data)["__type"].endswith("#SerializationException"))
        status, _, data = raw_request(self.port, "DynamoDB_20120810.GetItem", "")
        self.assertEqual(status, 400)
        self.assertTrue(json.loads(data)["__type"].endswith("#SerializationException"))
        status, _, data = raw_request(self.port, "DynamoDB_20120810.GetItem", json.dumps({"TableName": 5, "Key": {}}))
        self.assertEqual(status, 400)
        self.assertTrue(json.loads(data)["__type"].endswith("#SerializationException"))
        for target in ("DynamoDB_20120810.Frobnicate", "DynamoDB_20990101.GetItem", None):
            with self.subTest(target=target):
                status, _, data = raw_request(self.port, target, "{}")
                self.assertEqual(status, 400)
                self.assertTrue(json.loads(data)["__type"].endswith("#UnknownOperationException"))
        status, _, data = raw_request(self.port, None, None, method="GET")
        self.assertEqual((status, data), (200, b"healthy: dynamodb.us-east-1.amazonaws.com "))

    def test_checksums_match_the_body(self):
        import zlib
        status, headers, data = raw_request(self.port, "DynamoDB_20120810.ListTables", "{}")
        self.assertEqual(status, 200)
        self.assertEqual(int(headers["x-amz-crc32"]), zlib.crc32(data))


class JavaScriptSdkTest(DynamoDbTestCase):
    def test_the_js_sdk_v3(self):
        if not (CLIENTS_DIR / "node_modules" / "@aws-sdk" / "client-dynamodb").is_dir():
            self.skipTest("tests/clients/node_modules is not installed (npm ci in tests/clients)")
        script = REPO / "tests" / "conformance" / "dynamodb_js_sdk.mjs"
        result = subprocess.run(["node", str(script)], cwd=CLIENTS_DIR, capture_output=True, text=True, timeout=120,
                                env=dict(os.environ, LAMBDALAB_DYNAMODB_ENDPOINT=f"http://127.0.0.1:{self.port}"))
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("all checks passed", result.stdout)


class PersistenceTest(unittest.TestCase):
    def test_a_restart_keeps_tables_and_items(self):
        with tempfile.TemporaryDirectory(prefix="lambdalab-dynamodb-") as data_dir:
            first = Emulator(data_dir=data_dir, extra_args=NO_LATENCY).start()
            try:
                client = first.boto3("dynamodb")
                table = create_table(client, "survivor", "S", "N")
                for n in ("10", "9", "100"):
                    client.put_item(TableName=table, Item={"pk": {"S": "p"}, "sk": {"N": n}, "v": {"M": {"n": {"N": n}}}})
                client.update_item(TableName=table, Key={"pk": {"S": "p"}, "sk": {"N": "9"}}, UpdateExpression="SET changed = :t",
                                   ExpressionAttributeValues={":t": {"BOOL": True}})
                client.delete_item(TableName=table, Key={"pk": {"S": "p"}, "sk": {"N": "100"}})
                create_table(client, "dropped", "S")
                client.delete_table(TableName="dropped")
            finally:
                self.assertEqual(first.stop(), 0, "".join(first.output))

            second = Emulator(data_dir=data_dir, extra_args=NO_LATENCY).start()
            try:
                client = second.boto3("dynamodb")
                self.assertEqual(client.list_tables()["TableNames"], ["survivor"])
                items = client.query(TableName="survivor", KeyConditionExpression="pk = :p",
                                     ExpressionAttributeValues={":p": {"S": "p"}})["Items"]
                self.assertEqual([i["sk"]["N"] for i in items], ["9", "10"])
                self.assertEqual(items[0]["changed"], {"BOOL": True})
                self.assertEqual(items[1]["v"], {"M": {"n": {"N": "10"}}})
                self.assertEqual(client.describe_table(TableName="survivor")["Table"]["ItemCount"], 2)
            finally:
                self.assertEqual(second.stop(), 0, "".join(second.output))


class LatencyTest(unittest.TestCase):
    def mean_get_item_ms(self, extra_args, calls=50):
        with Emulator(extra_args=["--dynamodb-port", "0", *extra_args]) as emulator:
            client = emulator.boto3("dynamodb")
            table = create_table(client, "latency", "S")
            client.put_item(TableName=table, Item={"pk": {"S": "k"}, "v": {"S": "value"}})
            client.get_item(TableName=table, Key={"pk": {"S": "k"}})  # the connection is open from here on
            started = time.perf_counter()
            for _ in range(calls):
                client.get_item(TableName=table, Key={"pk": {"S": "k"}})
            return (time.perf_counter() - started) / calls * 1000

    def test_default_latency_is_a_same_region_call_and_can_be_turned_off(self):
        with_latency = self.mean_get_item_ms([])  # the default: 4 +- 1 ms
        without = self.mean_get_item_ms(["--dynamodb-latency", "none"])
        self.assertGreaterEqual(with_latency, 3.0, "every answer waits at least mean - jitter")
        self.assertGreaterEqual(with_latency - without, 1.0, f"with {with_latency:.2f} ms, without {without:.2f} ms")

    def test_latency_is_waited_on_a_timer_not_by_blocking(self):
        with Emulator(extra_args=["--dynamodb-port", "0", "--dynamodb-latency", "300"]) as emulator:
            clients = [emulator.boto3("dynamodb") for _ in range(8)]
            create_table(clients[0], "parallel", "S")
            durations = []

            def call(client):
                started = time.perf_counter()
                client.get_item(TableName="parallel", Key={"pk": {"S": "k"}})
                durations.append(time.perf_counter() - started)

            started = time.perf_counter()
            threads = [threading.Thread(target=call, args=(client,)) for client in clients]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
            self.assertEqual(len(durations), 8)
            self.assertGreaterEqual(min(durations), 0.29)
            # Eight calls of 300 ms each would take 2.4 s one after another; overlapping, about 0.3 s.
            self.assertLess(elapsed, 1.5)


class FunctionsReachDynamoDbTest(unittest.TestCase):
    HANDLER = '''
import json, os, urllib.request

def handler(event, context):
    endpoint = os.environ["AWS_ENDPOINT_URL_DYNAMODB"]
    def call(operation, body):
        request = urllib.request.Request(endpoint, data=json.dumps(body).encode(), method="POST", headers={
            "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "DynamoDB_20120810." + operation})
        with urllib.request.urlopen(request) as response:
            return json.loads(response.read())
    call("PutItem", {"TableName": "from-lambda", "Item": {"pk": {"S": event["key"]}, "by": {"S": context.function_name}}})
    return {"endpoint": endpoint, "item": call("GetItem", {"TableName": "from-lambda", "Key": {"pk": {"S": event["key"]}}})["Item"]}
'''

    def test_a_function_uses_the_endpoint_it_is_given(self):
        with tempfile.TemporaryDirectory(prefix="lambdalab-ddb-function-") as code:
            Path(code, "app.py").write_text(self.HANDLER)
            with Emulator([function("writer", "python3.12", "app.handler", code)], extra_args=NO_LATENCY) as emulator:
                port = emulator.wait_dynamodb()
                create_table(emulator.boto3("dynamodb"), "from-lambda", "S")
                response = emulator.invoke("writer", {"key": "k1"})
                self.assertEqual(response.status, 200, response)
                result = response.json()
                self.assertEqual(result["endpoint"], f"http://127.0.0.1:{port}")
                self.assertEqual(result["item"], {"pk": {"S": "k1"}, "by": {"S": "writer"}})


class CommandLineTest(unittest.TestCase):
    def banner_lines(self, *args):
        with Emulator(extra_args=list(args)) as emulator:
            time.sleep(0.3)  # the banner's second line is read by a thread
            return [line for line in emulator.output if line.startswith("lambdalab:")]

    def test_the_service_can_be_turned_off(self):
        for flags in (["--no-dynamodb"], ["--dynamodb-port", "-1"]):
            with self.subTest(flags=flags):
                lines = self.banner_lines(*flags)
                self.assertTrue(any("Lambda API on" in line for line in lines), lines)
                self.assertFalse(any("DynamoDB" in line for line in lines), lines)

    def test_the_banner_names_the_port_and_latency(self):
        lines = self.banner_lines("--dynamodb-port", "0", "--dynamodb-latency", "7:2")
        dynamodb = [line for line in lines if "DynamoDB API on http://127.0.0.1:" in line]
        self.assertEqual(len(dynamodb), 1, lines)
        self.assertIn("latency 7+-2 ms", dynamodb[0])

    def test_bad_settings_are_clear_errors(self):
        with socket.socket() as taken, tempfile.TemporaryDirectory(prefix="lambdalab-ddb-cli-") as data_dir:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            out = subprocess.run([LAMBDALAB_BIN, "serve", "--port", "0", "--dynamodb-port", str(port), "--data-dir", data_dir],
                                 capture_output=True, text=True, timeout=60)
            self.assertNotEqual(out.returncode, 0)
            self.assertIn(f"cannot serve the DynamoDB API on 127.0.0.1:{port}", out.stderr)
            out = subprocess.run([LAMBDALAB_BIN, "serve", "--port", "0", "--dynamodb-port", "0", "--dynamodb-latency", "fast",
                                  "--data-dir", data_dir], capture_output=True, text=True, timeout=60)
            self.assertNotEqual(out.returncode, 0)
            self.assertIn("invalid DynamoDB latency 'fast'", out.stderr)
        help_text = subprocess.run([LAMBDALAB_BIN, "serve", "--help"], capture_output=True, text=True, timeout=60).stdout
        for flag in ("--dynamodb-port", "--no-dynamodb", "--dynamodb-latency"):
            self.assertIn(flag, help_text)


if __name__ == "__main__":
    unittest.main()
