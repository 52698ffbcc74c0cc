"""QR code images (tada QR login and join links, tommy's account QR): PNG bytes of a value, through `qrcode`."""

import io

import qrcode
from django.http import HttpResponse


def qr_png(value: str) -> bytes:
    buffer = io.BytesIO()
    qrcode.make(value).save(buffer, format="PNG")
    return buffer.getvalue()


def qr_png_response(value: str, *, cache_control: str = "no-store") -> HttpResponse:
    """The QR image as a plain response (it bypasses the family renderer; errors before it stay in the envelope).
    Never cached by default: the codes carry tokens."""
    response = HttpResponse(qr_png(value), content_type="image/png")
    response["Cache-Control"] = cache_control
    return response
