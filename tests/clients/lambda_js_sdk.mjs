// The AWS SDK for JavaScript v3 against lambdalab, unchanged: run by conformance/test_real_clients.py with
// LAMBDALAB_ENDPOINT set and an emulator serving functions "py" and "limited" (reserved concurrency 0).
import assert from 'node:assert/strict';
import {
  LambdaClient, InvokeCommand, ListFunctionsCommand, GetFunctionCommand, CreateFunctionCommand,
  DeleteFunctionCommand, PutFunctionConcurrencyCommand, ResourceNotFoundException, TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import { readFileSync } from 'node:fs';

const client = new LambdaClient({
  endpoint: process.env.LAMBDALAB_ENDPOINT,
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  maxAttempts: 1,
});
const decode = (bytes) => JSON.parse(Buffer.from(bytes).toString());

const sync = await client.send(new InvokeCommand({ FunctionName: 'py', Payload: JSON.stringify({ a: 1 }), LogType: 'Tail' }));
assert.equal(sync.StatusCode, 200);
assert.equal(sync.ExecutedVersion, '$LATEST');
assert.equal(sync.FunctionError, undefined);
assert.deepEqual(decode(sync.Payload).event, { a: 1 });
const log = Buffer.from(sync.LogResult, 'base64').toString();
assert.match(log, /REPORT RequestId: [0-9a-f-]{36}\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\t/);

const failed = await client.send(new InvokeCommand({ FunctionName: 'py', Payload: JSON.stringify({ do: 'raise' }) }));
assert.equal(failed.FunctionError, 'Unhandled');
assert.equal(decode(failed.Payload).errorType, 'ValueError');

const async = await client.send(new InvokeCommand({ FunctionName: 'py', InvocationType: 'Event', Payload: '{}' }));
assert.equal(async.StatusCode, 202);
const dry = await client.send(new InvokeCommand({ FunctionName: 'py', InvocationType: 'DryRun' }));
assert.equal(dry.StatusCode, 204);

await assert.rejects(client.send(new InvokeCommand({ FunctionName: 'nope' })), (error) => {
  assert.ok(error instanceof ResourceNotFoundException);
  assert.equal(error.$metadata.httpStatusCode, 404);
  assert.match(error.message, /Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope/);
  return true;
});
await assert.rejects(client.send(new InvokeCommand({ FunctionName: 'limited' })), (error) => {
  assert.ok(error instanceof TooManyRequestsException);
  assert.equal(error.Reason, 'ReservedFunctionConcurrentInvocationLimitExceeded');
  return true;
});
await assert.rejects(client.send(new InvokeCommand({ FunctionName: 'py', Payload: 'x'.repeat(6291457) })), (error) => {
  assert.equal(error.name, 'RequestEntityTooLargeException');
  assert.equal(error.$metadata.httpStatusCode, 413);
  return true;
});

const created = await client.send(new CreateFunctionCommand({
  FunctionName: 'from-js', Runtime: 'python3.12', Handler: 'app.handler', Role: 'arn:aws:iam::123456789012:role/r',
  Code: { ZipFile: readFileSync(process.env.LAMBDALAB_ZIP) }, MemorySize: 256,
}));
assert.equal(created.FunctionName, 'from-js');
assert.equal(created.MemorySize, 256);
const got = await client.send(new GetFunctionCommand({ FunctionName: 'from-js' }));
assert.equal(got.Configuration.Runtime, 'python3.12');
const listed = await client.send(new ListFunctionsCommand({}));
assert.deepEqual(listed.Functions.map((f) => f.FunctionName).sort(), ['from-js', 'limited', 'py']);
const viaArn = await client.send(new InvokeCommand({ FunctionName: created.FunctionArn, Payload: '{"n":1}' }));
assert.deepEqual(decode(viaArn.Payload), { zipped: true, event: { n: 1 } });
await client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'from-js', ReservedConcurrentExecutions: 2 }));
await client.send(new DeleteFunctionCommand({ FunctionName: 'from-js' }));
console.log('js sdk: all checks passed');
