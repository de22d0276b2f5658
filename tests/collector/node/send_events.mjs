// Sends three events through the official, unmodified Node tracker; prints the HTTP statuses it saw.
// Usage: node send_events.mjs <endpoint> <post|get> <network-user-id>
import { newTracker, buildPageView, buildStructEvent, buildSelfDescribingEvent } from '@snowplow/node-tracker';

const [endpoint, eventMethod, networkUserId] = process.argv.slice(2);
const statuses = [];
const tracker = newTracker(
  { namespace: 'node-e2e', appId: 'e2e-node' },
  {
    endpoint,
    eventMethod,
    bufferSize: eventMethod === 'post' ? 10 : 1,
    onRequestSuccess: (_batch, response) => statuses.push(response.status),
    onRequestFailure: (failure) => statuses.push(failure.status ?? -1),
  },
);
tracker.setNetworkUserId(networkUserId);
tracker.setDomainUserId('domain-user-1');
tracker.track(buildPageView({ pageUrl: 'https://example.com/node', pageTitle: 'Node page' }));
tracker.track(buildStructEvent({ category: 'shop', action: 'add', label: 'sku-1', value: 9.99 }));
tracker.track(buildSelfDescribingEvent({
  event: { schema: 'iglu:com.acme/thing/jsonschema/1-0-0', data: { a: 1, text: 'café ✓' } },
}));
await tracker.flush();
await new Promise((resolve) => setTimeout(resolve, 100)); // callbacks run in a later tick
console.log(JSON.stringify({ statuses }));
