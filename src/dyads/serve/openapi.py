"""The plain docs page (``/docs``), rendered from the OpenAPI description that FastAPI generates
from the routes and models of :mod:`dyads.serve.app` and :mod:`dyads.serve.models`
(:func:`dyads.serve.app.openapi`).

The docs page is ours, not Swagger UI: one HTML page with no script, no style and no external
asset, so it renders offline and under the API's Content-Security-Policy.
"""
from __future__ import annotations

import html
from typing import Any


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if ref and ref.startswith("#/components/schemas/"):
        return spec.get("components", {}).get("schemas", {}).get(ref.rsplit("/", 1)[1], {})
    return schema


def _enum(schema: dict[str, Any]) -> list[Any] | None:
    if "enum" in schema:
        return list(schema["enum"])
    for alt in schema.get("anyOf", ()):
        if "enum" in alt:
            return list(alt["enum"])
    return None


def _type(schema: dict[str, Any]) -> str:
    alts = [a for a in schema.get("anyOf", [schema]) if a.get("type") != "null"]
    names = []
    for a in alts:
        t = a.get("format") or a.get("type") or (a.get("$ref", "").rsplit("/", 1)[-1] or "object")
        names.append(t)
    return " or ".join(names)


def docs_html(spec: dict[str, Any]) -> str:
    """A plain HTML page listing the endpoints of ``spec`` (no script, no style, no external asset)."""
    e = html.escape
    info = spec["info"]
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           f"<title>{e(info['title'])}</title></head><body>",
           f"<h1>{e(info['title'])} {e(info['version'])}</h1>",
           f"<p>{e(info.get('description', ''))}</p>",
           '<p>Machine-readable description (OpenAPI): <a href="/api/openapi.json">/api/openapi.json</a></p>']
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            out.append(f"<h2><code>{e(method.upper())} {e(path)}</code></h2><p>{e(op.get('summary', ''))}</p>")
            if op.get("security"):
                out.append("<p>Requires <code>Authorization: Bearer &lt;token&gt;</code>.</p>")
            if op.get("parameters"):
                out.append("<table><tr><th>parameter</th><th>in</th><th>type</th><th>description</th></tr>")
                for p in op["parameters"]:
                    schema = p.get("schema", {})
                    enum = _enum(schema)
                    extra = f" ({', '.join(map(str, enum))})" if enum else ""
                    if "default" in schema and schema["default"] is not None:
                        extra += f"; default {schema['default']}"
                    if "maximum" in schema:
                        extra += f"; at most {schema['maximum']}"
                    desc = p.get("description") or schema.get("description") or ""
                    out.append(f"<tr><td><code>{e(p['name'])}</code></td><td>{e(p['in'])}</td>"
                               f"<td>{e(_type(schema))}</td><td>{e(desc + extra)}</td></tr>")
                out.append("</table>")
            body = op.get("requestBody")
            if body:
                schema = _resolve(spec, body["content"]["application/json"]["schema"])
                props = ", ".join(schema.get("properties", {}))
                required = ", ".join(schema.get("required", []))
                out.append(f"<p>JSON body with: <code>{e(props)}</code> (required: <code>{e(required)}</code>).</p>")
            answers = []
            for code, resp in op.get("responses", {}).items():
                schema = resp.get("content", {}).get("application/json", {}).get("schema", {})
                name = schema.get("$ref", "").rsplit("/", 1)[-1]
                answers.append(f"{code} {resp.get('description', '')}" + (f" ({name})" if name else ""))
            out.append(f"<p>Responses: {e('; '.join(answers))}</p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
