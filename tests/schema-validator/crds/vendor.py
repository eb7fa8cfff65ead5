#!/usr/bin/env python3
"""Vendors one version's openAPIV3Schema of an upstream CustomResourceDefinition as JSON.

Usage: vendor.py <crd.yaml> <version> <repository> <commit> <path-in-repository> <out.json>

The schema is copied as published, with every "description" removed (they are documentation, not constraints, and
make up most of the file); the source, commit and path are recorded in a top-level "$comment". Needs PyYAML. Run it
again, with the new commit, to bump a schema; the tests read only the JSON.
"""
import json
import sys

import yaml


def strip_descriptions(node):
    if isinstance(node, dict):
        return {k: strip_descriptions(v) for k, v in node.items() if k != "description"}
    if isinstance(node, list):
        return [strip_descriptions(v) for v in node]
    return node


def main(crd_path, version, repository, commit, source_path, out_path):
    with open(crd_path, encoding="utf-8") as f:
        crd = next(d for d in yaml.safe_load_all(f) if d)
    served = [v for v in crd["spec"]["versions"] if v["name"] == version]
    if not served:
        sys.exit(f"{crd_path} has no version {version}")
    schema = strip_descriptions(served[0]["schema"]["openAPIV3Schema"])
    group = crd["spec"]["group"]
    kind = crd["spec"]["names"]["kind"]
    document = {
        "$comment": f"{group}/{version} {kind}: openAPIV3Schema of {repository} {source_path} at commit {commit}, descriptions removed (tests/schema-validator/crds/vendor.py)",
        **schema,
    }
    with open(out_path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(document, f, indent=1, sort_keys=True, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    if len(sys.argv) != 7:
        sys.exit(__doc__)
    main(*sys.argv[1:])
