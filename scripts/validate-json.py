#!/usr/bin/env python3
"""Validates JSON documents against a JSON schema: validate-json.py SCHEMA FILE...; prints 'valid FILE' or
'invalid FILE: reason' per file."""
import json, sys
import jsonschema

schema = json.load(open(sys.argv[1], encoding="utf-8"))
validator = jsonschema.Draft7Validator(schema)
for path in sys.argv[2:]:
    try:
        errors = sorted(validator.iter_errors(json.load(open(path, encoding="utf-8"))), key=lambda e: list(e.path))
        print(f"invalid {path}: {list(errors[0].path)}: {errors[0].message}" if errors else f"valid {path}")
    except Exception as error:
        print(f"invalid {path}: {error}")
