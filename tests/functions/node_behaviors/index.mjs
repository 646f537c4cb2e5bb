// A Node.js function whose behaviour each event chooses ({"do": ...}).
let invocations = 0;

export const handler = async (event, context) => {
  invocations += 1;
  const what = event?.do ?? 'echo';
  switch (what) {
    case 'echo':
      return { event, invocations, pid: process.pid, requestId: context.awsRequestId };
    case 'log':
      console.log(event.text);
      return { logged: true };
    case 'throw':
      throw new TypeError(event.message ?? 'kaboom');
    case 'exit':
      process.exit(event.code ?? 42);
      break;
    case 'sleep':
      await new Promise((resolve) => setTimeout(resolve, event.ms));
      return { slept: event.ms };
    case 'context':
      return {
        functionName: context.functionName,
        functionVersion: context.functionVersion,
        invokedFunctionArn: context.invokedFunctionArn,
        memoryLimitInMB: context.memoryLimitInMB,
        awsRequestId: context.awsRequestId,
        logGroupName: context.logGroupName,
        remainingMs: context.getRemainingTimeInMillis(),
        clientContext: context.clientContext ?? null,
        env: {
          AWS_LAMBDA_RUNTIME_API: process.env.AWS_LAMBDA_RUNTIME_API,
          _HANDLER: process.env._HANDLER,
          LAMBDA_TASK_ROOT: process.env.LAMBDA_TASK_ROOT,
          AWS_REGION: process.env.AWS_REGION,
        },
      };
    default:
      throw new Error(`unknown behaviour ${what}`);
  }
};

export const callbackHandler = (event, context, callback) => {
  setTimeout(() => callback(null, { style: 'callback', event }), 10);
};
