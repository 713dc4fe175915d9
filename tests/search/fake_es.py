"""An in-memory stand-in for an Elasticsearch node, plugged in under the real client.

The engine is tested through the real `elasticsearch` client and its transport: only the node
that would speak HTTP is replaced (`node_class`), so requests are built, serialised and their
responses parsed exactly as against a cluster. The fake keeps indices, aliases, documents and
synonyms sets, which is enough to check what the engine asks for and in which order; searches
return what the test gives it, since the fake cannot rank or analyse text (the live tests do
that).

Where a cluster would accept a request and be left broken, the fake refuses it, so a test catches
the mistake: creating an index whose analyser names a synonyms set that does not exist yet (a
cluster creates it, unusable).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import parse_qs, urlsplit

from elastic_transport import ApiResponseMeta, BaseNode, HttpHeaders
from elasticsearch import Elasticsearch


class NodeResponse(NamedTuple):
    """What a node's perform_request returns (elastic_transport's NodeApiResponse)."""

    meta: ApiResponseMeta
    body: bytes


@dataclass
class Request:
    method: str
    path: str
    params: dict
    body: object


@dataclass
class FakeCluster:
    indices: dict[str, dict] = field(default_factory=dict)  # name -> {"body":..., "docs": {}}
    aliases: dict[str, set[str]] = field(default_factory=dict)  # alias -> index names
    synonyms: dict[str, list[dict]] = field(default_factory=dict)  # set id -> its rules
    requests: list[Request] = field(default_factory=list)
    search_response: dict | None = None

    def client(self) -> Elasticsearch:
        cluster = self

        class Node(BaseNode):
            def perform_request(self, method, target, body=None, headers=None, **kwargs):
                status, payload = cluster.handle(method, target, body)
                meta = ApiResponseMeta(
                    status=status,
                    http_version="1.1",
                    headers=HttpHeaders(
                        {
                            "content-type": "application/json",
                            "x-elastic-product": "Elasticsearch",
                        }
                    ),
                    duration=0.0,
                    node=self.config,
                )
                raw = b"" if method == "HEAD" else json.dumps(payload).encode()
                return NodeResponse(meta, raw)

        return Elasticsearch("http://fake-es:9200", node_class=Node)

    # What the engine asked for, in order, without the reads that only look.

    def writes(self) -> list[tuple[str, str]]:
        return [(r.method, r.path) for r in self.requests if r.method not in ("GET", "HEAD")]

    def names(self, name: str) -> list[str]:
        """Indices a name stands for: an alias's indices, or the index itself."""
        if name in self.aliases:
            return sorted(self.aliases[name])
        return [n for n in name.split(",") if n in self.indices]

    def handle(self, method: str, target: str, raw: bytes | None):
        url = urlsplit(target)
        path = url.path
        params = {k: v[0] for k, v in parse_qs(url.query).items()}
        if raw and path.endswith("/_bulk"):
            body = [json.loads(line) for line in raw.decode().splitlines() if line.strip()]
        else:
            body = json.loads(raw) if raw else None
        self.requests.append(Request(method, path, params, body))
        parts = [p for p in path.split("/") if p]

        if path.endswith("/_bulk"):
            return 200, self._bulk(body)
        if parts[:1] == ["_synonyms"] and len(parts) == 2:
            return self._synonyms_set(method, parts[1], body)
        if parts[:1] == ["_aliases"]:
            return self._update_aliases(body["actions"])
        if parts[:1] == ["_alias"]:
            name = parts[1]
            if name not in self.aliases:
                return 404, {"error": "alias missing", "status": 404}
            return 200, {index: {"aliases": {name: {}}} for index in self.aliases[name]}
        if len(parts) == 2 and parts[1] == "_search":
            if not self.names(parts[0]):
                return 404, {"error": {"type": "index_not_found_exception"}, "status": 404}
            return 200, self.search_response
        if len(parts) == 2 and parts[1] in ("_settings", "_refresh"):
            return 200, {"acknowledged": True}
        if len(parts) == 1 and method == "HEAD":
            return (200 if self.names(parts[0]) else 404), None
        if len(parts) == 1 and method == "PUT":
            name = parts[0]
            if name in self.indices or name in self.aliases:
                return 400, {"error": {"type": "resource_already_exists_exception"}}
            missing = set(self.synonyms_sets_used(body)) - set(self.synonyms)
            if missing:
                return 400, {"error": {"type": "resource_not_found_exception", "sets": [*missing]}}
            self.indices[name] = {"body": body, "docs": {}}
            for alias in (body or {}).get("aliases", {}):
                self.aliases.setdefault(alias, set()).add(name)
            return 200, {"acknowledged": True, "index": name}
        if len(parts) == 1 and method == "DELETE":
            for name in parts[0].split(","):
                self._drop(name)
            return 200, {"acknowledged": True}
        return 400, {"error": f"the fake does not know {method} {path}"}

    @staticmethod
    def synonyms_sets_used(index_body: dict | None) -> list[str]:
        """The synonyms sets an index definition's token filters read."""
        filters = (index_body or {}).get("settings", {}).get("analysis", {}).get("filter", {})
        return [f["synonyms_set"] for f in filters.values() if "synonyms_set" in f]

    def indices_using(self, set_id: str) -> list[str]:
        return sorted(
            name
            for name, index in self.indices.items()
            if set_id in self.synonyms_sets_used(index["body"])
        )

    def _synonyms_set(self, method: str, set_id: str, body):
        if method == "PUT":
            result = "updated" if set_id in self.synonyms else "created"
            self.synonyms[set_id] = list(body["synonyms_set"])
            # A cluster reloads the search analysers of the indices using the set, in this call.
            reloaded = [
                {"index": name, "reloaded_analyzers": ["hub_english_search"]}
                for name in self.indices_using(set_id)
            ]
            return 200, {
                "result": result,
                "reload_analyzers_details": {
                    "_shards": {"total": len(reloaded), "successful": len(reloaded), "failed": 0},
                    "reload_details": reloaded,
                },
            }
        if set_id not in self.synonyms:
            return 404, {"error": {"type": "resource_not_found_exception"}, "status": 404}
        if method == "GET":
            rules = self.synonyms[set_id]
            return 200, {"count": len(rules), "synonyms_set": rules}
        if method == "DELETE":
            if self.indices_using(set_id):
                # A set an index's analyser reads cannot go while the index is there.
                return 400, {"error": {"type": "illegal_argument_exception"}, "status": 400}
            del self.synonyms[set_id]
            return 200, {"acknowledged": True}
        return 400, {"error": f"the fake does not know {method} /_synonyms/{set_id}"}

    def _drop(self, name: str) -> None:
        self.indices.pop(name, None)
        for members in self.aliases.values():
            members.discard(name)
        self.aliases = {a: m for a, m in self.aliases.items() if m}

    def _bulk(self, lines: list[dict]) -> dict:
        items = []
        lines = iter(lines)
        for action in lines:
            ((op, meta),) = action.items()
            targets = self.names(meta["_index"])
            docs = self.indices[targets[-1]]["docs"] if targets else None
            if op == "index":
                source = next(lines)
                if docs is None:
                    items.append({op: {"_id": meta["_id"], "status": 404}})
                    continue
                docs[meta["_id"]] = source
                items.append({op: {"_id": meta["_id"], "status": 201, "result": "created"}})
            elif op == "delete":
                found = docs is not None and docs.pop(meta["_id"], None) is not None
                status = 200 if found else 404
                items.append({op: {"_id": meta["_id"], "status": status}})
        errors = any(not 200 <= next(iter(i.values()))["status"] < 300 for i in items)
        return {"took": 1, "errors": errors, "items": items}

    def _update_aliases(self, actions: list[dict]):
        for action in actions:
            ((op, spec),) = action.items()
            if op == "remove":
                self.aliases.get(spec["alias"], set()).discard(spec["index"])
            elif op == "remove_index":
                self._drop(spec["index"])
            elif op == "add":
                if spec["alias"] in self.indices:
                    return 400, {"error": {"type": "invalid_alias_name_exception"}}
                self.aliases.setdefault(spec["alias"], set()).add(spec["index"])
        self.aliases = {a: m for a, m in self.aliases.items() if m}
        return 200, {"acknowledged": True}
