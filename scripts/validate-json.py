#!/usr/bin/env python3
"""Validates JSON documents against a JSON schema: validate-json.py SCHEMA FILE...; prints 'valid FILE' or
'invalid FILE: reason' per file. The schema's own draft is used (draft-04 for SARIF 2.1.0, draft-07 for Berth's),
with format checking: a 'uri' must be an RFC 3986 URI (through the rfc3987 package), so an unencoded space or a
non-ASCII letter in a path fails. '$ref's to the other *.schema.json files beside SCHEMA resolve locally."""
import json, pathlib, sys
import jsonschema
import rfc3987  # noqa: F401  -- without it jsonschema silently skips the 'uri' format
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

schema_path = pathlib.Path(sys.argv[1])
schema = json.load(open(schema_path, encoding="utf-8"))
registry = Registry()
for sibling in schema_path.parent.glob("*.schema.json"):
    document = json.load(open(sibling, encoding="utf-8"))
    if "$id" in document:
        registry = registry.with_resource(document["$id"], Resource.from_contents(document, default_specification=DRAFT7))
cls = jsonschema.validators.validator_for(schema)
validator = cls(schema, format_checker=cls.FORMAT_CHECKER, registry=registry)
for path in sys.argv[2:]:
    try:
        errors = sorted(validator.iter_errors(json.load(open(path, encoding="utf-8"))), key=lambda e: list(e.path))
        print(f"invalid {path}: {list(errors[0].path)}: {errors[0].message}" if errors else f"valid {path}")
    except Exception as error:
        print(f"invalid {path}: {error}")
