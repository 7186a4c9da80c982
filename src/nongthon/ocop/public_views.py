"""The public OCOP catalogue: no login. Shows certified products, their producer, star and
certificate validity; never scores, councils or contacts the producer did not make public."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control

from nongthon.ocop import qr, queries
from nongthon.ocop.forms import SearchForm
from nongthon.ocop.models import Product, ProductPhoto
from nongthon.places.models import Level, Unit
from nongthon.web import uploads

PER_PAGE = 24


def _certified(public_id) -> Product:
    product = get_object_or_404(
        Product.objects.select_related("producer", "commune__district", "commune__province"),
        public_id=public_id,
    )
    if not product.certificates.exists():
        raise Http404  # not in the catalogue until recognised
    return product


def catalogue(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    district = Unit.objects.filter(pk=data.get("district"), level=Level.DISTRICT).first()
    commune = Unit.objects.filter(pk=data.get("commune"), level=Level.COMMUNE).first()
    results = queries.catalogue(
        text=data.get("q") or "",
        star=data.get("star"),
        group=data.get("group") or "",
        district=district,
        commune=commune,
    )
    page = Paginator(results, PER_PAGE).get_page(request.GET.get("page"))
    shown = queries.shown_certificates(list(page), timezone.localdate())
    rows = [(p, shown[p.pk]) for p in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "ocop/public/catalogue.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "groups": queries.catalogue_groups(),
            "districts": queries.catalogue_districts(),
            # Communes once a district is chosen (choosing submits the form): the whole
            # country's list would be thousands of options on every page.
            "communes": queries.catalogue_communes(district) if district else [],
            "chosen": {"district": district, "commune": commune, **data},
        },
    )


def product(request: HttpRequest, public_id) -> HttpResponse:
    item = _certified(public_id)
    cert = queries.public_certificate(item, timezone.localdate())
    return render(
        request,
        "ocop/public/product.html",
        {
            "product": item,
            "producer": item.producer,
            "cert": cert,
            "photos": list(item.photos.all()),
            "public_url": request.build_absolute_uri(
                reverse("ocop:public_product", args=[item.public_id])
            ),
        },
    )


@cache_control(public=True, max_age=86400)
def qr_code(request: HttpRequest, public_id, fmt: str) -> HttpResponse:
    item = _certified(public_id)
    url = request.build_absolute_uri(reverse("ocop:public_product", args=[item.public_id]))
    if fmt == "svg":
        return HttpResponse(qr.svg(url), content_type="image/svg+xml")
    return HttpResponse(qr.png(url), content_type="image/png")


def label(request: HttpRequest, public_id) -> HttpResponse:
    """A printable label: the QR code (SVG, sharp at any size) with name and star."""
    item = _certified(public_id)
    return render(
        request,
        "ocop/public/label.html",
        {"product": item, "cert": queries.public_certificate(item, timezone.localdate())},
    )


def photo(request: HttpRequest, public_id, pk: int) -> FileResponse:
    item = _certified(public_id)
    picture = get_object_or_404(ProductPhoto, pk=pk, product=item)
    # A certified product's photo is public: caches may keep it.
    return uploads.stored_file_response(
        picture.file,
        filename=picture.original_name,
        content_type=picture.content_type,
        private=False,
    )
