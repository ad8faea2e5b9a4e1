#!/usr/bin/env python3
"""Validates Compose files against schemas/compose.schema.json; prints 'valid PATH' or 'invalid PATH: reason' per file."""
import json, sys, pathlib
import jsonschema, yaml

schema = json.loads((pathlib.Path(__file__).parent.parent / "schemas" / "compose.schema.json").read_text())
validator = jsonschema.Draft7Validator(schema)
for path in sys.argv[1:]:
    try:
        data = yaml.safe_load(open(path, encoding="utf-8"))
        errors = sorted(validator.iter_errors(data), key=lambda e: e.path)
        print(f"invalid {path}: {errors[0].message}" if errors else f"valid {path}")
    except Exception as error:  # a file the YAML reader refuses is invalid for the schema too
        print(f"invalid {path}: {error}")
