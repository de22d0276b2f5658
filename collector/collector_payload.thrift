// Snowplow's CollectorPayload 1-0-0, written from the field table of the collector protocol spec (section 4.1).
// `querystring` and `body` are declared binary: same wire type (11) as string, but raw bytes survive
// unchanged even when a client sends invalid UTF-8.
namespace py collector_payload

struct CollectorPayload {
  31337: string schema
  100: string ipAddress
  200: i64 timestamp
  210: string encoding
  220: string collector
  300: optional string userAgent
  310: optional string refererUri
  320: optional string path
  330: optional binary querystring
  340: optional binary body
  350: optional list<string> headers
  360: optional string contentType
  400: optional string hostname
  410: optional string networkUserId
}
