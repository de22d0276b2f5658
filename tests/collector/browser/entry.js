// Bundled by esbuild at test time: the official browser tracker v4, unmodified, exposed to the test page.
import {
  newTracker, trackPageView, trackStructEvent, trackSelfDescribingEvent,
} from '@snowplow/browser-tracker';

window.snowplowE2E = { newTracker, trackPageView, trackStructEvent, trackSelfDescribingEvent };
