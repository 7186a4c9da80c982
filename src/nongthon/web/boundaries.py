"""Loading a province's commune boundaries from a GeoJSON file: every feature checked, all of
them saved or none, and the map's reads of the active file.

A feature must be a Polygon or MultiPolygon in WGS84 longitude/latitude (GeoJSON's own system),
inside Vietnam, carry the commune's official code in the property the admin names, and sit near
the commune's recorded point (a file of another province, another edition of the codes, or a
projected system such as VN-2000 is refused, naming the feature).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nongthon.accounts import permissions
from nongthon.accounts.models import User
from nongthon.places.models import Level, Unit
from nongthon.web.models import BoundaryFile, CommuneBoundary

# Vietnam with its islands, generously: (west, south, east, north) in degrees.
VIETNAM_BOUNDS = (102.0, 6.0, 118.0, 24.0)
# How far (degrees, about 20 km) a commune's recorded point may lie outside its polygon's box:
# the recorded points are geocoded, approximate.
NEAR = 0.2
MAX_ERRORS = 20


@dataclass
class Feature:
    unit: Unit
    geometry: dict


def _positions(geometry: dict) -> list[list]:
    """Every ring of a Polygon or MultiPolygon."""
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def _ring_problem(ring) -> str:
    if not isinstance(ring, list) or len(ring) < 4:
        return _("mỗi vòng ranh giới cần ít nhất 4 điểm")
    for point in ring:
        if (
            not isinstance(point, list)
            or len(point) < 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in point[:2])
        ):
            return _("điểm không phải cặp số [kinh độ, vĩ độ]")
        lon, lat = point[0], point[1]
        west, south, east, north = VIETNAM_BOUNDS
        if not (west <= lon <= east and south <= lat <= north):
            return _(
                "điểm [%(lon)s, %(lat)s] nằm ngoài Việt Nam: tệp phải dùng kinh độ, vĩ độ WGS84 "
                "(không dùng VN-2000 hay hệ tọa độ phẳng)"
            ) % {"lon": lon, "lat": lat}
    if ring[0][:2] != ring[-1][:2]:
        return _("vòng ranh giới không khép kín (điểm đầu khác điểm cuối)")
    return ""


def _geometry_problem(geometry) -> str:
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return _("hình học phải là Polygon hoặc MultiPolygon")
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list) or not coordinates:
        return _("thiếu tọa độ")
    if geometry["type"] == "MultiPolygon" and not all(
        isinstance(p, list) and p for p in coordinates
    ):
        return _("MultiPolygon phải gồm các Polygon")
    for ring in _positions(geometry):
        problem = _ring_problem(ring)
        if problem:
            return problem
    return ""


def _far_from(unit: Unit, geometry: dict) -> bool:
    if unit.latitude is None or unit.longitude is None:
        return False
    points = [p for ring in _positions(geometry) for p in ring]
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    lon, lat = float(unit.longitude), float(unit.latitude)
    return not (
        min(lons) - NEAR <= lon <= max(lons) + NEAR and min(lats) - NEAR <= lat <= max(lats) + NEAR
    )


def read_features(content: bytes, province: Unit, code_property: str) -> list[Feature]:
    """The features of a GeoJSON file matched to the communes of `province`; a ValidationError
    listing every problem (feature number and code) otherwise."""
    if len(content) > settings.NONGTHON_MAX_IMPORT_BYTES:
        raise ValidationError(
            _("Tệp quá lớn (tối đa %(n)s MB).")
            % {"n": settings.NONGTHON_MAX_IMPORT_BYTES // (1024 * 1024)}
        )
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ValidationError(_("Tệp không phải văn bản UTF-8.")) from exc
    except json.JSONDecodeError as exc:
        raise ValidationError(
            _("Tệp không phải JSON hợp lệ: dòng %(line)s, cột %(col)s.")
            % {"line": exc.lineno, "col": exc.colno}
        ) from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ValidationError(_("Tệp phải là GeoJSON FeatureCollection."))
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise ValidationError(_("Tệp không có đối tượng (features) nào."))
    communes = {u.code: u for u in Unit.objects.filter(province=province, level=Level.COMMUNE)}
    errors: list[str] = []
    found: list[Feature] = []
    seen: dict[str, int] = {}
    for n, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        code = properties.get(code_property) if isinstance(properties, dict) else None
        code = str(code).strip() if code not in (None, "") else ""
        where = _("Đối tượng thứ %(n)s") % {"n": n}
        if code:
            where = _("Đối tượng thứ %(n)s (mã %(code)s)") % {"n": n, "code": code}
        if not code:
            errors.append(
                _("%(where)s: thiếu thuộc tính «%(p)s» chứa mã xã.")
                % {"where": where, "p": code_property}
            )
            continue
        # Official commune codes have five digits; files often drop the leading zero.
        unit = communes.get(code) or communes.get(code.zfill(5))
        if unit is None:
            errors.append(
                _("%(where)s: không có xã mã %(code)s thuộc %(province)s.")
                % {"where": where, "code": code, "province": province.name}
            )
            continue
        if unit.code in seen:
            errors.append(
                _("%(where)s: mã %(code)s đã có ở đối tượng thứ %(first)s.")
                % {"where": where, "code": unit.code, "first": seen[unit.code]}
            )
            continue
        seen[unit.code] = n
        geometry = feature.get("geometry")
        problem = _geometry_problem(geometry)
        if problem:
            errors.append(f"{where}: {problem}.")
            continue
        if _far_from(unit, geometry):
            errors.append(
                _("%(where)s: ranh giới không chứa vị trí đã biết của %(name)s; kiểm tra lại mã.")
                % {"where": where, "name": unit.name}
            )
            continue
        found.append(
            Feature(unit, {"type": geometry["type"], "coordinates": geometry["coordinates"]})
        )
    if errors:
        more = len(errors) - MAX_ERRORS
        shown = errors[:MAX_ERRORS]
        if more > 0:
            shown.append(_("… và %(n)s lỗi khác.") % {"n": more})
        raise ValidationError(shown)
    return found


@transaction.atomic
def load_boundary_file(
    user: User,
    province: Unit,
    content: bytes,
    *,
    name: str,
    source: str,
    licence: str,
    code_property: str,
) -> BoundaryFile:
    """Check and save a province's boundary file; it replaces the province's active file."""
    if not permissions.can_manage_boundaries(user):
        raise PermissionDenied
    if province.level != Level.PROVINCE:
        raise ValidationError({"province": _("Chọn một tỉnh, thành phố.")})
    missing = {
        field: _("%(f)s: bắt buộc.") % {"f": label}
        for field, label, value in (
            ("source", _("Nguồn dữ liệu"), source),
            ("licence", _("Giấy phép sử dụng"), licence),
            ("code_property", _("Thuộc tính chứa mã xã"), code_property),
        )
        if not value.strip()
    }
    if missing:
        raise ValidationError(missing)
    features = read_features(content, province, code_property.strip())
    for previous in BoundaryFile.objects.filter(province=province, active=True):
        previous.active = False
        previous.save(update_fields=["active"])  # save(), so the history keeps the change
    record = BoundaryFile.objects.create(
        province=province,
        name=name[:200],
        source=source.strip(),
        licence=licence.strip(),
        code_property=code_property.strip(),
        feature_count=len(features),
        uploaded_by=user,
    )
    CommuneBoundary.objects.bulk_create(
        CommuneBoundary(file=record, unit=f.unit, geometry=f.geometry) for f in features
    )
    return record


def active_file(province_id: int) -> BoundaryFile | None:
    return BoundaryFile.objects.filter(province_id=province_id, active=True).first()


def geometries(boundary_file: BoundaryFile | None, unit_ids: list[int] | None = None) -> dict:
    """{unit id: geometry} of an active file (optionally for some units only)."""
    if boundary_file is None:
        return {}
    rows = CommuneBoundary.objects.filter(file=boundary_file)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    return dict(rows.values_list("unit_id", "geometry"))
