"""The health figures in Prometheus' text exposition format (version 0.0.4), written without a client library."""

from __future__ import annotations

from operations.health import SERIES, PipelineHealth

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


class _Exposition:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def metric(self, name: str, kind: str, help_text: str, samples: list[tuple[dict[str, str], float]]) -> None:
        self.lines.append(f"# HELP {name} {help_text}")
        self.lines.append(f"# TYPE {name} {kind}")
        for labels, value in samples:
            rendered = ",".join(f'{key}="{_label(val)}"' for key, val in labels.items())
            self.lines.append(f"{name}{{{rendered}}} {value:g}" if rendered else f"{name} {value:g}")

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def render_metrics(health: PipelineHealth) -> str:
    """Gauges for the last complete minute, hour and day, the sink, workers, model run, database and disk."""
    out = _Exposition()
    out.metric("snowplow_pipeline_events_last_minute", "gauge",
               "Events per stage in the last complete minute (collected counts payloads).",
               [({"stage": stage}, health.last_minute(stage)) for stage in SERIES])
    out.metric("snowplow_pipeline_events_last_hour", "gauge", "Events per stage in the last 60 minutes.",
               [({"stage": stage}, sum(health.last(stage, 60))) for stage in SERIES])
    out.metric("snowplow_pipeline_events_last_day", "gauge", "Events per stage in the last 24 hours.",
               [({"stage": stage}, sum(health.series[stage])) for stage in SERIES])
    sink = health.sink
    out.metric("snowplow_sink_pending_payloads", "gauge", "Payloads waiting in the raw sink, claimed ones included.",
               [({"sink": sink.kind}, sink.pending)])
    out.metric("snowplow_sink_claimed_payloads", "gauge", "Payloads claimed by a worker and not yet acknowledged.",
               [({"sink": sink.kind}, sink.claimed)])
    out.metric("snowplow_sink_oldest_payload_age_seconds", "gauge", "Age of the oldest unprocessed payload (0: none).",
               [({"sink": sink.kind}, health.sink_lag_seconds or 0)])
    if sink.received_total is not None:
        out.metric("snowplow_sink_received_payloads_total", "counter", "Payloads ever written to the raw sink.",
                   [({"sink": sink.kind}, sink.received_total)])
    out.metric("snowplow_workers_alive", "gauge", "Celery workers with a heartbeat in the last minute.",
               [({}, health.workers_alive)])
    out.metric("snowplow_worker_events_per_minute", "gauge", "Events processed per minute per drain consumer, "
               "averaged over 5 minutes.", [({"worker": t.worker}, t.events_per_minute) for t in health.throughput])
    out.metric("snowplow_workers_stuck", "gauge", "Workers holding payloads without progress past the stall limit.",
               [({}, len(health.stuck_consumers))])
    if health.model_run:
        run = health.model_run
        out.metric("snowplow_model_last_run_timestamp_seconds", "gauge", "Start of the last data-model run.",
                   [({"model": run.name}, run.started_at.timestamp())])
        out.metric("snowplow_model_last_run_duration_seconds", "gauge", "Duration of the last data-model run.",
                   [({"model": run.name}, run.duration_seconds)])
        out.metric("snowplow_model_last_run_succeeded", "gauge", "1 if the last data-model run succeeded.",
                   [({"model": run.name}, 1 if run.succeeded else 0)])
    out.metric("snowplow_database_size_bytes", "gauge", "Size of the PostgreSQL database.",
               [({}, health.database_bytes)])
    if health.disk:
        out.metric("snowplow_disk_free_bytes", "gauge", "Free disk space.", [({"path": health.disk.path},
                                                                              health.disk.free_bytes)])
        out.metric("snowplow_disk_total_bytes", "gauge", "Disk size.", [({"path": health.disk.path},
                                                                         health.disk.total_bytes)])
    out.metric("snowplow_pipeline_healthy", "gauge", "1 when nothing is stuck, 0 when the health page is red.",
               [({}, 1 if health.ok else 0)])
    return out.text()
