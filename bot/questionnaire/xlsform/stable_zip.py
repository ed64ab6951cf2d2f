"""Make an .xlsx byte-for-byte reproducible: fixed zip timestamps and document dates."""

from __future__ import annotations

import io
import re
import zipfile

FIXED_DATE = (1980, 1, 1, 0, 0, 0)
_CORE_DATES = re.compile(
    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)"
)


def stable_xlsx(data: bytes) -> bytes:
    """The same workbook with every zip entry dated 1980-01-01 and core.xml dates fixed."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            content = source.read(name)
            if name == "docProps/core.xml":
                content = _CORE_DATES.sub(rb"\g<1>2026-01-01T00:00:00Z\g<2>", content)
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, content)
    return out.getvalue()
