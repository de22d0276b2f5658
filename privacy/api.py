"""The privacy app's public interface (STYLE 5): the enrichment step, the collector's site policies, services."""

from privacy.audit import audit_record
from privacy.collector_policies import get_collector_policies
from privacy.enrichment import site_privacy_step
from privacy.subjects import subject_delete, subject_export

__all__ = ["audit_record", "get_collector_policies", "site_privacy_step", "subject_delete", "subject_export"]
