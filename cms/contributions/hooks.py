"""Admin wiring of public contributions (A6.1): their audit-log actions."""

from cms.admin.features import Feature, register_feature
from cms.contributions import audit

register_feature(Feature(name="contributions", audit=audit.ACTIONS))
