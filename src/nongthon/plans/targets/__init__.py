"""Target types. Importing this package registers the types shipped with plans; the registry
and the interface are in base.py. Another app adds a type by subclassing base.TargetType and
calling base.register() from its AppConfig.ready()."""

from nongthon.plans.targets import criteria, free, statuses  # noqa: F401
from nongthon.plans.targets.base import all_types, get, register  # noqa: F401
