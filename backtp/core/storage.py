"""Static files storage: whitenoise's compressed, hashed files, with JavaScript modules'
relative imports rewritten to the hashed names too (the session timer is ES modules)."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """`import ... from "./clock.js"` in a module resolves to clock.<hash>.js once collected."""

    support_js_module_import_aggregation = True
