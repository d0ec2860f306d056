/// Live services around a call: webhooks and events over HTTP, call-record reports.
