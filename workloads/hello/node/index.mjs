export const handler = async (event, context) => {
  console.log(`hello from Node, request ${context.awsRequestId}`);
  return {
    message: 'hello from Node',
    event,
    function: context.functionName,
    memoryMb: Number(context.memoryLimitInMB),
    remainingMs: context.getRemainingTimeInMillis(),
  };
};
