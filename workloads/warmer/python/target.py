"""warmer-target: an example function kept warm by the warmer: warming events are answered by the wrapper;
anything else runs the real handler."""
from warming import warmable


@warmable
def handler(event, context):
    return {"sandbox": context.log_stream_name, "message": "the real handler ran", "event": event}
