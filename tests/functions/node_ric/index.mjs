export const handler = async (event, context) => {
  if (event.throw) throw new TypeError('kaboom');
  if (event.sleepMs) await new Promise((resolve) => setTimeout(resolve, event.sleepMs));
  console.log('MARK from the official runtime');
  return { ok: true, event, requestId: context.awsRequestId, remaining: context.getRemainingTimeInMillis() };
};
