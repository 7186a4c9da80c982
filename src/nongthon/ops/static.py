"""Static files in production: WhiteNoise's compressed, hashed files (cached for a year).

The vendored Bootstrap files name source maps (`sourceMappingURL=...map`) that are not shipped;
Django's manifest storage would fail `collectstatic` on those references. Source maps are for
developers' tools only, so the references are left as they are instead of being rewritten.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    patterns = tuple(
        (extension, tuple(p for p in rules if "sourceMappingURL" not in str(p)))
        for extension, rules in CompressedManifestStaticFilesStorage.patterns
    )
