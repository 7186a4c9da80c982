"""Every uploaded file of the project passes here: its kind is read from its content (magic
bytes, the members of a zip archive), never trusted from its name; its size is bounded; a zip
archive (xlsx, docx, odt) is bounded in members and uncompressed size before any reader opens it;
and a stored file is served back through `file_response` with headers that stop the browser
from running it as a page of ours.

Files live under MEDIA_ROOT (var/media), which no URL serves: each download is a view that asks
accounts.permissions first. Stored names are generated; the user's file name is kept as text.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils import formats
from django.utils.translation import gettext as _

NAME_MAX_LENGTH = 200

# Office files are zip archives. Python's zipfile stops every member at the size its header
# declares (a member that inflates further fails its CRC), so bounding the declared sizes bounds
# what openpyxl or python-docx can ever inflate.
DEFAULT_MAX_MEMBERS = 1000
DEFAULT_MAX_UNCOMPRESSED = 100 * 1024 * 1024
# Spreadsheet XML compresses 10-30 times; a zip bomb, thousands of times.
MAX_RATIO = 150
RATIO_FLOOR = 1024 * 1024  # small members may compress as they like


@dataclass(frozen=True)
class FileKind:
    label: str  # what the user calls it: "PDF", "Word (.docx)"
    content_type: str
    suffix: str  # of the stored name
    image: bool = False  # shown in the page (inline) rather than downloaded
    archive: bool = False  # a zip container


PDF = FileKind("PDF", "application/pdf", ".pdf")
JPEG = FileKind("JPEG", "image/jpeg", ".jpg", image=True)
PNG = FileKind("PNG", "image/png", ".png", image=True)
DOCX = FileKind(
    "Word (.docx)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".docx",
    archive=True,
)
XLSX = FileKind(
    "Excel (.xlsx)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xlsx",
    archive=True,
)
ODT = FileKind(
    "OpenDocument (.odt)", "application/vnd.oasis.opendocument.text", ".odt", archive=True
)
DOC = FileKind("Word (.doc)", "application/msword", ".doc")
XLS = FileKind("Excel (.xls)", "application/vnd.ms-excel", ".xls")

# The kind a file name promises; the content must keep the promise.
KIND_BY_SUFFIX = {
    ".pdf": PDF,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".png": PNG,
    ".docx": DOCX,
    ".xlsx": XLSX,
    ".odt": ODT,
    ".doc": DOC,
    ".xls": XLS,
}
DOCUMENT_KINDS = (PDF, JPEG, PNG, DOCX, DOC, XLSX, XLS)
IMAGE_KINDS = (JPEG, PNG)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def accept(kinds: Iterable[FileKind]) -> str:
    """The `accept` attribute of a file input: the suffixes of `kinds`."""
    wanted = set(kinds)
    return ",".join(s for s, k in KIND_BY_SUFFIX.items() if k in wanted)


def human_size(size: int) -> str:
    """ "2,5 MB", "830 KB" (Vietnamese decimal comma)."""
    if size >= 1024 * 1024:
        return _("%s MB") % formats.number_format(size / (1024 * 1024), 1, use_l10n=True)
    return _("%s KB") % formats.number_format(max(size, 1) / 1024, 0, use_l10n=True)


def clean_name(name: str) -> str:
    """The user's file name as text: no folders, printable, NFC, at most 200 characters."""
    base = PurePath((name or "").replace("\\", "/")).name.strip() or "tep"
    base = unicodedata.normalize("NFC", "".join(c for c in base if c.isprintable()))
    base = base.strip() or "tep"
    if len(base) > NAME_MAX_LENGTH:
        suffix = PurePath(base).suffix[:10]
        base = base[: NAME_MAX_LENGTH - len(suffix)] + suffix
    return base


def read_bytes(upload: IO[bytes]) -> bytes:
    """The whole file, left rewound for whoever reads it next."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def size_of(upload: IO[bytes]) -> int:
    size = getattr(upload, "size", None)
    if size is None:  # a plain file (the command line)
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
        upload.seek(0)
    return size


def read_limited(upload, max_bytes: int) -> bytes:
    """The file's bytes, refused (too_large) before anything is read when it is over the limit."""
    size = size_of(upload)
    if size > max_bytes:
        raise _too_large(getattr(upload, "name", "") or "", size, max_bytes)
    return read_bytes(upload)


def _zip_infos(data: bytes) -> list[zipfile.ZipInfo] | None:
    # Only the central directory is read: nothing is inflated.
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return None


def content_kind(data: bytes) -> FileKind | None:
    """What the bytes are, by their signature (and, for zip files, what is inside)."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"PK\x03\x04"):
        infos = _zip_infos(data) or []
        names = [i.filename for i in infos]
        if any(n.startswith("word/") for n in names):
            return DOCX
        if any(n.startswith("xl/") for n in names):
            return XLSX
        if data[30:38] == b"mimetype" and b"application/vnd.oasis.opendocument.text" in data[:200]:
            return ODT
        return None
    if data.startswith(OLE_MAGIC):
        # Legacy Office: the stream names of the compound file, in UTF-16, tell Word from Excel.
        if "WordDocument".encode("utf-16-le") in data:
            return DOC
        if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
            return XLS
        return None
    return None


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def archive_problem(data: bytes) -> str | None:
    """Why a zip archive must not be opened (too many members, inflates too much), or None."""
    infos = _zip_infos(data)
    if infos is None:
        return None  # not a readable zip: the reader will say so
    if len(infos) > _limit("NONGTHON_MAX_ARCHIVE_MEMBERS", DEFAULT_MAX_MEMBERS):
        return _("tệp nén chứa %(n)s phần, quá nhiều") % {"n": len(infos)}
    total = sum(i.file_size for i in infos)
    if total > _limit("NONGTHON_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED):
        return _("khi giải nén tệp lên tới %(size)s, quá lớn") % {"size": human_size(total)}
    for info in infos:
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            return _("tệp nén bất thường (phần «%(name)s» nở ra %(ratio)s lần)") % {
                "name": clean_name(info.filename),
                "ratio": info.file_size // max(info.compress_size, 1),
            }
    return None


def _kinds_text(kinds: Iterable[FileKind]) -> str:
    return ", ".join(dict.fromkeys(k.label for k in kinds))


def check_upload(
    upload, *, kinds: Iterable[FileKind], max_bytes: int, described: str = ""
) -> FileKind:
    """The kind of an uploaded file, read from its content; ValidationError otherwise, with one
    Vietnamese sentence naming the file. The name's suffix must agree with the content, so a
    file is never stored (or served) as something it is not. `described`: the accepted kinds as
    the form says them ("PDF, ảnh JPEG, PNG ...")."""
    kinds = tuple(kinds)
    name = clean_name(getattr(upload, "name", "") or "")
    size = size_of(upload)
    if not size:
        raise ValidationError(_("Tệp «%s» rỗng.") % name, code="empty")
    if size > max_bytes:
        raise _too_large(name, size, max_bytes)
    promised = KIND_BY_SUFFIX.get(PurePath(name).suffix.lower())
    if promised not in kinds:
        raise ValidationError(
            _("Tệp «%(name)s» không được nhận: chỉ nhận tệp %(kinds)s.")
            % {"name": name, "kinds": described or _kinds_text(kinds)},
            code="file_type",
        )
    data = read_bytes(upload)
    actual = content_kind(data)
    if actual != promised:
        raise ValidationError(
            _(
                "Tệp «%(name)s» không phải %(kind)s: nội dung tệp không khớp với đuôi tệp "
                "(có thể tệp bị hỏng hoặc chỉ được đổi tên). Hãy lưu lại đúng định dạng rồi "
                "tải lên."
            )
            % {"name": name, "kind": promised.label},
            code="file_type",
        )
    if actual.archive:
        problem = archive_problem(data)
        if problem:
            raise ValidationError(
                _("Tệp «%(name)s» bị từ chối: %(problem)s.") % {"name": name, "problem": problem},
                code="archive",
            )
    return actual


def check_office(upload, *, kinds: Iterable[FileKind] = (XLSX,), max_bytes: int | None = None):
    """An Excel or Word upload about to be opened by openpyxl or python-docx: its kind by
    content (whatever its name) and the archive bounds. Returns (kind, bytes)."""
    limit = max_bytes if max_bytes is not None else settings.NONGTHON_MAX_IMPORT_BYTES
    name = getattr(upload, "name", "") or ""
    size = size_of(upload)
    if size > limit:
        raise _too_large(name, size, limit)
    data = read_bytes(upload)
    return check_office_data(data, name, kinds=kinds, max_bytes=limit), data


def check_office_data(
    data: bytes, name: str, *, kinds: Iterable[FileKind], max_bytes: int | None = None
) -> FileKind:
    """`check_office` for bytes already read."""
    kinds = tuple(kinds)
    limit = max_bytes if max_bytes is not None else settings.NONGTHON_MAX_IMPORT_BYTES
    name = clean_name(name)
    if len(data) > limit:
        raise _too_large(name, len(data), limit)
    kind = content_kind(data)
    if kind not in kinds:
        raise ValidationError(
            _("Tệp «%(name)s» không phải tệp %(kinds)s (đọc theo nội dung tệp, không theo tên).")
            % {"name": name, "kinds": _kinds_text(kinds)},
            code="file_type",
        )
    problem = archive_problem(data)
    if problem:
        raise ValidationError(
            _("Tệp «%(name)s» bị từ chối: %(problem)s.") % {"name": name, "problem": problem},
            code="archive",
        )
    return kind


def _too_large(name: str, size: int, limit: int) -> ValidationError:
    return ValidationError(
        _("Tệp «%(name)s» quá lớn (%(size)s); dung lượng tối đa là %(max)s.")
        % {"name": clean_name(name), "size": human_size(size), "max": human_size(limit)},
        code="too_large",
    )


def read_text(upload, *, max_bytes: int) -> str:
    """A text upload (YAML) as str: UTF-8 (a BOM is dropped), no NUL or other control bytes
    that only binary files hold."""
    name = clean_name(getattr(upload, "name", "") or "")
    size = size_of(upload)
    if size > max_bytes:
        raise _too_large(name, size, max_bytes)
    data = read_bytes(upload)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is None or any(c in text for c in "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f"):
        raise ValidationError(
            _("Tệp «%s» không phải văn bản UTF-8.") % name,
            code="not_text",
        )
    return text


# A file we serve is data, never a page: no script, no plug-in, no frame, nothing loaded.
FILE_CSP = "default-src 'none'; img-src 'self'; sandbox"


def file_response(
    handle: IO[bytes], *, filename: str, content_type: str, private: bool = True
) -> FileResponse:
    """A stored file sent back: images inline (they are shown in pages), anything else as an
    attachment; nosniff, a CSP of its own, not cached by shared caches when private."""
    image = content_type in {k.content_type for k in IMAGE_KINDS}
    response = FileResponse(
        handle,
        as_attachment=not image,
        filename=clean_name(filename),
        content_type=content_type if content_type else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    if private:
        response["Cache-Control"] = "private, no-store"
    return response


def stored_file_response(
    field_file, *, filename: str, content_type: str = "", private: bool = True
) -> FileResponse:
    """`file_response` for a FileField's file; a file missing from the disk is a 404."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    if not content_type:
        kind = KIND_BY_SUFFIX.get(PurePath(field_file.name).suffix.lower())
        content_type = kind.content_type if kind else "application/octet-stream"
    return file_response(handle, filename=filename, content_type=content_type, private=private)
