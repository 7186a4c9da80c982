"""QR codes for product labels (segno): the code holds the absolute URL of the public page."""

from __future__ import annotations

import io

import segno


def qr_for(url: str):
    # Level M survives a scuffed label; micro codes off so every phone reads it.
    return segno.make(url, error="m", micro=False)


def png(url: str, scale: int = 8) -> bytes:
    out = io.BytesIO()
    qr_for(url).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def svg(url: str, scale: int = 8) -> bytes:
    out = io.BytesIO()
    qr_for(url).save(out, kind="svg", scale=scale, border=4, xmldecl=True, title="OCOP")
    return out.getvalue()
