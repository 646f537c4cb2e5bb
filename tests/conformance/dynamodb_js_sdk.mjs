// The JS SDK v3 (@aws-sdk/client-dynamodb) against lambdalab's DynamoDB, unchanged: tables, items of
// every type, updates, conditions, queries with paging, scans, batches and errors.
// Run with cwd tests/clients (the SDK is resolved from there) and LAMBDALAB_DYNAMODB_ENDPOINT set.
// Prints "all checks passed" and exits 0, or throws.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(path.join(process.cwd(), "package.json"));
const {
  DynamoDBClient, CreateTableCommand, DescribeTableCommand, ListTablesCommand, DeleteTableCommand, PutItemCommand,
  GetItemCommand, UpdateItemCommand, DeleteItemCommand, QueryCommand, ScanCommand, BatchWriteItemCommand,
  BatchGetItemCommand, ConditionalCheckFailedException, ResourceNotFoundException, waitUntilTableExists,
} = require("@aws-sdk/client-dynamodb");

const client = new DynamoDBClient({
  endpoint: process.env.LAMBDALAB_DYNAMODB_ENDPOINT,
  region: "us-east-1",
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
  maxAttempts: 1,
});
const send = (command) => client.send(command);
const table = `js-sdk-orders-${process.pid}-${Date.now()}`;

async function rejects(promise, name, message) {
  try {
    await promise;
  } catch (error) {
    assert.equal(error.name, name);
    if (message) assert.equal(error.message, message);
    assert.equal(error.$metadata.httpStatusCode, 400);
    return error;
  }
  assert.fail(`expected ${name}`);
}

const created = await send(new CreateTableCommand({
  TableName: table,
  KeySchema: [{ AttributeName: "customer", KeyType: "HASH" }, { AttributeName: "order", KeyType: "RANGE" }],
  AttributeDefinitions: [{ AttributeName: "customer", AttributeType: "S" }, { AttributeName: "order", AttributeType: "N" }],
  BillingMode: "PAY_PER_REQUEST",
}));
assert.equal(created.TableDescription.TableStatus, "ACTIVE");
await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: table });
assert.ok((await send(new ListTablesCommand({}))).TableNames.includes(table));

// Every attribute type survives a round trip.
const item = {
  customer: { S: "ada" }, order: { N: "10" }, amount: { N: "12.50" }, paid: { BOOL: true }, note: { NULL: true },
  blob: { B: new Uint8Array([0, 1, 254, 255]) }, tags: { SS: ["new", "gift"] }, sizes: { NS: ["1", "2.5"] },
  lines: { L: [{ M: { sku: { S: "a-1" }, qty: { N: "2" } } }] }, address: { M: { city: { S: "Paris" } } },
};
await send(new PutItemCommand({ TableName: table, Item: item }));
const got = (await send(new GetItemCommand({ TableName: table, Key: { customer: { S: "ada" }, order: { N: "10" } } }))).Item;
assert.equal(got.amount.N, "12.5");
assert.deepEqual(Array.from(got.blob.B), [0, 1, 254, 255]);
assert.deepEqual(new Set(got.tags.SS), new Set(["new", "gift"]));
assert.equal(got.lines.L[0].M.sku.S, "a-1");
assert.equal(got.note.NULL, true);

// Updates: arithmetic, if_not_exists, list_append, nested paths, ADD and REMOVE.
const updated = await send(new UpdateItemCommand({
  TableName: table, Key: { customer: { S: "ada" }, order: { N: "10" } },
  UpdateExpression: "SET amount = amount + :d, visits = if_not_exists(visits, :zero) + :one, #l = list_append(#l, :more), " +
    "address.city = :city REMOVE note ADD tags :tag",
  ConditionExpression: "paid = :yes AND attribute_exists(address)",
  ExpressionAttributeNames: { "#l": "lines" },
  ExpressionAttributeValues: { ":d": { N: "0.75" }, ":zero": { N: "0" }, ":one": { N: "1" }, ":yes": { BOOL: true },
    ":more": { L: [{ S: "extra" }] }, ":city": { S: "Lyon" }, ":tag": { SS: ["vip"] } },
  ReturnValues: "ALL_NEW",
}));
assert.equal(updated.Attributes.amount.N, "13.25");
assert.equal(updated.Attributes.visits.N, "1");
assert.equal(updated.Attributes.lines.L.length, 2);
assert.equal(updated.Attributes.address.M.city.S, "Lyon");
assert.equal(updated.Attributes.note, undefined);
assert.deepEqual(new Set(updated.Attributes.tags.SS), new Set(["new", "gift", "vip"]));

// A failed condition is a ConditionalCheckFailedException, with the item when asked for.
const failed = await rejects(send(new PutItemCommand({
  TableName: table, Item: { customer: { S: "ada" }, order: { N: "10" } }, ConditionExpression: "attribute_not_exists(customer)",
  ReturnValuesOnConditionCheckFailure: "ALL_OLD",
})), "ConditionalCheckFailedException", "The conditional request failed");
assert.ok(failed instanceof ConditionalCheckFailedException);
assert.equal(failed.Item.amount.N, "13.25");

// Query: numeric sort-key order, paging, reverse order, filters and counts.
const writes = [];
for (const order of [9, 100, 1, 55, 20]) {
  writes.push({ PutRequest: { Item: { customer: { S: "ada" }, order: { N: String(order) }, big: { BOOL: order >= 20 } } } });
}
writes.push({ PutRequest: { Item: { customer: { S: "bob" }, order: { N: "1" } } } });
assert.deepEqual((await send(new BatchWriteItemCommand({ RequestItems: { [table]: writes } }))).UnprocessedItems, {});

const orders = [];
let start;
do {
  const page = await send(new QueryCommand({
    TableName: table, KeyConditionExpression: "customer = :c", ExpressionAttributeValues: { ":c": { S: "ada" } },
    Limit: 2, ExclusiveStartKey: start,
  }));
  orders.push(...page.Items.map((i) => i.order.N));
  start = page.LastEvaluatedKey;
} while (start);
assert.deepEqual(orders, ["1", "9", "10", "20", "55", "100"]);

const newest = await send(new QueryCommand({
  TableName: table, KeyConditionExpression: "customer = :c AND #o BETWEEN :lo AND :hi", ScanIndexForward: false,
  ExpressionAttributeNames: { "#o": "order" }, ExpressionAttributeValues: { ":c": { S: "ada" }, ":lo": { N: "9" }, ":hi": { N: "55" } },
}));
assert.deepEqual(newest.Items.map((i) => i.order.N), ["55", "20", "10", "9"]);
const counted = await send(new QueryCommand({
  TableName: table, KeyConditionExpression: "customer = :c", FilterExpression: "big = :t", Select: "COUNT",
  ExpressionAttributeValues: { ":c": { S: "ada" }, ":t": { BOOL: true } },
}));
assert.equal(counted.Count, 3);
assert.equal(counted.ScannedCount, 6);
assert.equal(counted.Items, undefined);

const scanned = await send(new ScanCommand({ TableName: table, ProjectionExpression: "customer, #o", ExpressionAttributeNames: { "#o": "order" } }));
assert.equal(scanned.Count, 7);
assert.deepEqual(Object.keys(scanned.Items[0]).sort(), ["customer", "order"]);

const batch = await send(new BatchGetItemCommand({ RequestItems: { [table]: { Keys: [
  { customer: { S: "bob" }, order: { N: "1" } }, { customer: { S: "ada" }, order: { N: "100" } }, { customer: { S: "nobody" }, order: { N: "1" } },
] } } }));
assert.equal(batch.Responses[table].length, 2);

const removed = await send(new DeleteItemCommand({ TableName: table, Key: { customer: { S: "bob" }, order: { N: "1" } }, ReturnValues: "ALL_OLD" }));
assert.equal(removed.Attributes.customer.S, "bob");

// Errors in DynamoDB's words.
await rejects(send(new GetItemCommand({ TableName: "no-such-table", Key: { customer: { S: "x" } } })),
  "ResourceNotFoundException", "Requested resource not found");
await rejects(send(new GetItemCommand({ TableName: table, Key: { customer: { S: "ada" }, order: { S: "10" } } })),
  "ValidationException", "The provided key element does not match the schema");
await rejects(send(new PutItemCommand({ TableName: table, Item: { order: { N: "1" } } })),
  "ValidationException", "One of the required keys was not given a value");

const described = await send(new DescribeTableCommand({ TableName: table }));
assert.equal(described.Table.ItemCount, 6);
assert.equal(described.Table.KeySchema[1].AttributeName, "order");
await send(new DeleteTableCommand({ TableName: table }));
const gone = await rejects(send(new DescribeTableCommand({ TableName: table })), "ResourceNotFoundException");
assert.ok(gone instanceof ResourceNotFoundException);

console.log("all checks passed");
