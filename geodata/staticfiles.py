"""A staticfiles finder for single files from node_modules (``mapdoc.NPM_VENDOR_FILES``):
``vendor/ol/ol.js`` is ``node_modules/ol/dist/ol.js``, without publishing the package's
thousand other files. Used by ``runserver``, WhiteNoise (``WHITENOISE_USE_FINDERS``) and
``collectstatic`` like the directory finders."""

from __future__ import annotations

import posixpath
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Warning as CheckWarning
from django.core.files.storage import FileSystemStorage

from geodata.mapdoc import NPM_VENDOR_FILES


def _source(name: str) -> Path:
    source = Path(settings.NODE_MODULES) / NPM_VENDOR_FILES[name]
    assert source.name == posixpath.basename(name), "a static name keeps its file's name"
    return source


class NpmFileFinder(BaseFinder):
    def check(self, **kwargs):
        missing = [name for name in NPM_VENDOR_FILES if not _source(name).is_file()]
        if missing:
            return [CheckWarning(f"npm files missing (run `npm ci`): {', '.join(missing)}", id="geodata.W001")]
        return []

    def find(self, path, find_all=False, **kwargs):
        if path in NPM_VENDOR_FILES and _source(path).is_file():
            found = str(_source(path))
            return [found] if find_all else found
        return [] if find_all else None

    def list(self, ignore_patterns):
        for name in NPM_VENDOR_FILES:
            source = _source(name)
            if source.is_file():
                # collectstatic publishes <prefix>/<path>; static names keep the file's name.
                storage = FileSystemStorage(location=source.parent)
                storage.prefix = posixpath.dirname(name)
                yield source.name, storage
