"""Turn the operator's proxy settings into Django's shapes, without raising."""


def proxy_ssl_header(header: str) -> tuple[str, str] | None:
    """"X-Forwarded-Proto" -> ("HTTP_X_FORWARDED_PROTO", "https"); "" -> None.

    Django trusts the header blindly, so it is off unless named: only a proxy
    that overwrites any copy a client sent makes it safe.
    """
    name = header.strip()
    if not name:
        return None
    meta_key = "HTTP_" + name.upper().replace("-", "_")
    return (meta_key, "https")
