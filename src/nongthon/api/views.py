"""The page where a user creates and revokes their own API tokens. A new token's secret is
shown once, on the page that created it; only its hash is kept."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from nongthon.api import errors, tokens
from nongthon.api.forms import TokenForm
from nongthon.api.models import ApiToken
from nongthon.web.forms import add_errors


@csrf_exempt
def api_not_found(request: HttpRequest, *args, **kwargs) -> JsonResponse:
    return JsonResponse(errors.not_found().body(), status=404)


@never_cache
@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    created = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = tokens.create_token(request.user, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
        if created is None:
            status = 422
        else:
            form = TokenForm()
    context = {
        "active": "api_tokens",
        "form": form,
        "created": created,
        "tokens": tokens.tokens_of(request.user),
    }
    return render(request, "api/tokens.html", context, status=status)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    # Another user's token is a 404: its existence is not revealed.
    token = ApiToken.objects.filter(pk=pk, user=request.user).first()
    if token is None:
        raise Http404
    tokens.revoke_token(request.user, token)
    messages.success(request, _("Đã thu hồi khóa «%(name)s».") % {"name": token.name})
    return redirect("api_tokens")
