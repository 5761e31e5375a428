#!/usr/bin/env python3
"""A client that knows the NeuralIK web API only from its OpenAPI description.

Usage: python3 Tests/openapi_client_check.py http://127.0.0.1:8080

Fetches /openapi.yaml from the server (JSON, which is YAML too, so no YAML parser is needed), then
follows it: reads the robot, posts its reachable first target and an unreachable one to
/api/solve, and posts a bad body. Each answer's status must be documented for the operation and
its body must match the documented schema (checked with jsonschema, Draft 2020-12, the dialect of
OpenAPI 3.1). HTTP is the standard library's urllib. Exits 1 when any check fails.
"""

import json
import sys
import urllib.error
import urllib.request

import jsonschema


def fetch(base, method, path, body=None):
    """Returns (status, media type, body bytes) of one request; HTTP errors are answers too."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_content_type(), error.read()


class Client:
    def __init__(self, base):
        self.base = base.rstrip("/")
        status, media_type, body = fetch(self.base, "GET", "/openapi.yaml")
        if status != 200 or media_type != "application/yaml":
            raise SystemExit(f"GET /openapi.yaml: {status} {media_type}")
        self.spec = json.loads(body)
        if not self.spec.get("openapi", "").startswith("3.1"):
            raise SystemExit(f"not OpenAPI 3.1: {self.spec.get('openapi')}")
        self.passed, self.failed = 0, 0

    def schema_validator(self, schema):
        """A validator for a schema of the description, its $refs resolved within the description."""
        return jsonschema.Draft202012Validator({**schema, "components": self.spec["components"]})

    def call(self, name, method, path, body=None, expect_status=None, valid_request=True):
        """Sends a request to an operation of the description and checks the answer against it; a
        valid request's body is first checked against the request schema."""
        operation = self.spec["paths"][path][method.lower()]
        if body is not None and valid_request:
            request_schema = operation["requestBody"]["content"]["application/json"]["schema"]
            self.schema_validator(request_schema).validate(body)
        status, media_type, data = fetch(self.base, method, path, body)
        problems = []
        if expect_status is not None and status != expect_status:
            problems.append(f"status {status}, expected {expect_status}")
        response = operation["responses"].get(str(status))
        if response is None:
            problems.append(f"status {status} is not documented")
            answer = None
        else:
            if "$ref" in response:
                response = self.spec["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
            content = response.get("content", {}).get(media_type)
            answer = json.loads(data) if media_type == "application/json" else None
            if content is None:
                problems.append(f"media type {media_type} is not documented for {status}")
            else:
                validator = self.schema_validator(content["schema"])
                problems += [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(answer)]
        self.report(name, problems)
        return answer

    def report(self, name, problems):
        if problems:
            self.failed += 1
            print(f"FAIL {name}")
            for problem in problems[:10]:
                print(f"     {problem}")
        else:
            self.passed += 1
            print(f"ok   {name}")

    def expect(self, name, condition, detail=""):
        self.report(name, [] if condition else [detail or "unexpected answer"])


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    client = Client(sys.argv[1])
    robot = client.call("GET /api/robot", "GET", "/api/robot", expect_status=200)
    target = robot["first_target"]
    answer = client.call("POST /api/solve, the first target", "POST", "/api/solve", {"target": target}, 200)
    client.expect("the first target is reached", answer["results"][0]["reachable"] is True, json.dumps(answer)[:300])
    far = [target[0] + 100] + target[1:]
    answer = client.call("POST /api/solve, 100 m away", "POST", "/api/solve", {"target": far, "all": True}, 200)
    result = answer["results"][0]
    client.expect(
        "100 m away is out of reach, with a closest point",
        result["reachable"] is False and result["gap_m"] > 90,
        json.dumps(result)[:300],
    )
    start = robot["first_configuration"]
    answer = client.call(
        "POST /api/solve, a path from a start",
        "POST",
        "/api/solve",
        {"targets": [target, target], "path": True, "start": start, "max_step": 10},
        200,
    )
    steps = [result.get("step") for result in answer["results"]]
    client.expect(
        "a path's results carry their steps, the second 0 (the same target), none flagged",
        len(steps) == 2 and steps[1] == 0 and all(r.get("flagged") is False for r in answer["results"]),
        json.dumps(steps),
    )
    answer = client.call("POST /api/solve, a bad body", "POST", "/api/solve", {"targets": []}, 400, valid_request=False)
    client.expect("the error names the problem", "empty" in answer["error"], json.dumps(answer))
    print(f"openapi_client_check: {client.passed} passed, {client.failed} failed")
    sys.exit(1 if client.failed else 0)


if __name__ == "__main__":
    main()
