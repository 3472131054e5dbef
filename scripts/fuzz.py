#!/usr/bin/env python3
"""Fuzz a running Strata server's REST API with hostile requests, for minutes at a time.

The Swift suite fuzzes the parsers in-process with small, bounded budgets (Tests/*/*FuzzTests.swift);
this script goes through the whole server, for as long as you like: generated GET query strings
(filters, sort, populate, fields, pagination, _q, status, locale: deep paths, bracket soup, huge
lists and indexes, percent escapes, unicode, huge and NaN-ish numbers) and POST/PUT JSON bodies
(wrong types, huge numbers, deep nesting, invalid JSON, relation syntaxes with connect, disconnect,
set and positions before/after/start/end), against one or more collection paths and, with
--uploads, the Media Library's /api/upload/files.

A *finding* is a response with a 5xx status, a connection error (the server closed the connection
or died), or a request that got no answer within --timeout seconds. Each finding is appended to
--out as one JSON line (method, path, headers, body, status, response excerpt) with a curl command
that reproduces it; the script exits with status 1 when there were findings, 2 when the server was
not reachable at the start, 0 otherwise. `/_health` is checked every few seconds and after every
error; a server that stays down ends the run (a crash is one finding, not thousands).

The script starts nothing itself and WRITES to the target (POST/PUT create and change entries):
run it against a throwaway project, never production. It refuses non-loopback URLs unless
--allow-remote is given, and only ever talks to --url.

Usage (from the repository root):

    swift build                                   # builds .build/debug/strata
    .build/debug/strata new /tmp/fuzz-site --example blog
    .build/debug/strata api-tokens:create --name fuzz --type full-access --project /tmp/fuzz-site   # prints KEY
    .build/debug/strata start --project /tmp/fuzz-site &     # or `strata develop`; listens on :1337
    python3 scripts/fuzz.py --token KEY --seconds 300 --path /api/articles --path /api/authors --uploads

    python3 scripts/fuzz.py --token KEY --requests 2000 --seed 7   # a bounded, reproducible run
    python3 scripts/fuzz.py --token KEY --replay fuzz-findings.jsonl   # send recorded findings again

The same --seed (and the same server state) replays the same sequence of requests. Without a
token the Content API answers 403 to almost everything, which exercises little; use a full-access
token. Python 3.8+, standard library only.
"""

import argparse
import base64
import http.client
import ipaddress
import json
import random
import shlex
import socket
import sys
import time
import urllib.parse

# ---------------------------------------------------------------------------------------------
# Hostile material

HUGE_INTS = [9223372036854775807, -9223372036854775808, 9223372036854775808, -9223372036854775809,
             18446744073709551616, 10 ** 30, 2 ** 53 + 1, 8640000000000001, -8640000000000001]
HOSTILE_NUMBERS = HUGE_INTS + [0, 1, -1, 0.5, -0.0, 1e20, 1e21, 1e300, -1e300, 5e-324, 1e-7, 4.35]
NON_FINITE = [float("nan"), float("inf"), float("-inf")]  # json.dumps writes NaN/Infinity: invalid JSON
# Number spellings only reachable as raw JSON text (Python's json cannot write them).
RAW_NUMBERS = ["1e400", "-1e400", "1" + "0" * 400, "-0", "1E-400", "0.0000001", "123456789012345678901234567890",
               "9223372036854775807", "-9223372036854775808", "9223372036854775808", "1e309"]
INVALID_NUMBER_TOKENS = ["NaN", "Infinity", "-Infinity", "01", "+1", ".5", "1.", "0x10", "1e", "--1"]

HOSTILE_STRINGS = [
    "", " ", "x", "abc", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809",
    "1e20", "1e300", "1e309", "-1e309", "NaN", "nan", "Infinity", "-Infinity", "inf", "0x10", "+5", "-0", " 5 ", "5e-324",
    "0.1", "true", "false", "t", "f", "1", "0", "null", "undefined", "[]", "{}", "%", "%%", "%zz", "%00", "%FF", "_", "\\",
    "'", '"', "'; DROP TABLE articles; --", "\" OR 1=1 --", "é", "🎉", "\u0000", "\u202e", "名前", "a\u0301", "\ufeff",
    "a,b,,c,", ",,,,", "a.b.c", "*", "title:desc", "$eq", "__proto__", "constructor", "../../etc/passwd",
    "2024-03-06", "2024-02-30", "2024-13-01", "0000-00-00", "2024-03-06T13:42:05.098Z", "2024-13-01T25:61:61Z",
    "-271821-04-20T00:00:00.000Z", "275760-09-13T00:00:00.001Z", "+275760-09-13T00:00:00.000Z", "99999-12-31T00:00:00Z",
    "1970-01-01T00:00:00+99:99", "12:34", "24:00:00", "8640000000000001", "draft", "published", "en", "fr", "*-*",
]

OPERATORS = ["$eq", "$eqi", "$ne", "$nei", "$lt", "$lte", "$gt", "$gte", "$in", "$notIn", "$contains", "$notContains",
             "$containsi", "$notContainsi", "$null", "$notNull", "$between", "$startsWith", "$startsWithi", "$endsWith",
             "$endsWithi"]
LOGICAL = ["$and", "$or", "$not"]
BAD_KEYS = ["", "$", "$foo", "eq", "nonexistent", "password", "resetPasswordToken", "__proto__", "constructor", "a.b",
            "0", "-1", "1000", "99999999999999999999", "[", "]", "%5B", "é", "🎉", "createdBy", "updatedBy", "localizations"]
DEFAULT_FIELDS = ["id", "documentId", "title", "description", "slug", "cover", "author", "category", "blocks", "name",
                  "email", "avatar", "articles", "createdAt", "updatedAt", "publishedAt", "locale", "seo", "body",
                  "metaTitle", "metaDescription", "shareImage", "file", "files", "url", "mime", "size", "hash", "ext",
                  "width", "height", "alternativeText", "caption", "formats", "folderPath", "provider"]
DEFAULT_RELATIONS = ["author", "category", "articles", "cover", "avatar", "blocks", "localizations", "createdBy", "seo"]
COMPONENTS = ["shared.media", "shared.quote", "shared.rich-text", "shared.slider", "shared.seo", "nope.nope", "", "shared",
              "shared.quote.x", "../x"]
HOSTILE_IDS = ["0", "-1", "1", "9223372036854775807", "9223372036854775808", "1e20", "NaN", "%00", "%2e%2e%2f%2e%2e",
               "..%2F..", "a" * 3000, "%FF%FE", "%zz", "null", "undefined", "*", "%20", "%E2%80%AE", "abc%5B%5D",
               "zzzzzzzzzzzzzzzzzzzzzzzz", "count", "me"]


class Fuzzer:
    def __init__(self, rng, paths, uploads, writes, wide_keys=5000):
        self.wide_keys = wide_keys
        self.rng = rng
        self.paths = paths
        self.uploads = uploads
        self.writes = writes
        self.fields = list(DEFAULT_FIELDS)
        self.relations = list(DEFAULT_RELATIONS)
        self.document_ids = []
        self.file_ids = []
        # Learned from the server's answers: per path, its attributes and relations; per relation,
        # the attributes of what it holds.
        self.schema = {}
        self.nested = {}

    def use(self, path):
        """Generates the next request for `path`: its own attributes when they were learned."""
        learned = self.schema.get(path)
        if learned and learned["fields"]:
            self.fields = learned["fields"]
            self.relations = learned["relations"] or list(DEFAULT_RELATIONS)
        else:
            self.fields = list(DEFAULT_FIELDS)
            self.relations = list(DEFAULT_RELATIONS)

    def learn_schema(self, path, plain, populated):
        """Reads attribute names from `GET path` and relation names from `GET path?populate=*`."""
        def items(payload):
            data = payload.get("data") if isinstance(payload, dict) else payload
            if isinstance(data, dict):
                return [data]
            return [item for item in data if isinstance(item, dict)] if isinstance(data, list) else []
        plain_keys = []
        for item in items(plain):
            plain_keys += [key for key in item if key not in plain_keys]
        fields, relations = list(plain_keys), []
        for item in items(populated):
            for key, value in item.items():
                if key not in fields:
                    fields.append(key)
                if (key not in plain_keys or isinstance(value, (dict, list))) and key not in relations:
                    relations.append(key)
                for inner in (value if isinstance(value, list) else [value]):
                    if isinstance(inner, dict):
                        known = self.nested.setdefault(key, [])
                        known += [k for k in inner if k not in known]
        if fields:
            self.schema[path] = {"fields": fields, "relations": relations}

    # --- small helpers ---------------------------------------------------------------------
    def chance(self, percent):
        return self.rng.random() * 100 < percent

    def pick(self, items):
        return items[self.rng.randrange(len(items))]

    def field(self, relation=None):
        roll = self.rng.random()
        if roll < 0.05:
            return self.pick(BAD_KEYS)
        if roll < 0.10:
            return self.pick(DEFAULT_FIELDS)
        if relation is not None and self.nested.get(relation):
            return self.pick(self.nested[relation])
        return self.pick(self.fields)

    def hostile_string(self):
        roll = self.rng.random()
        if roll < 0.03:
            return self.pick(["a", "%", "é", ",", "[", ".", "\u0000"]) * self.rng.randint(500, 20000)
        if roll < 0.15:
            return "".join(chr(self.rng.choice([self.rng.randint(0x20, 0x7e), self.rng.randint(0x80, 0xd7ff),
                                                self.rng.randint(0xe000, 0x10ffff), self.rng.randint(0, 0x1f)]))
                           for _ in range(self.rng.randint(0, 24)))
        if roll < 0.22 and self.document_ids:
            return self.pick(self.document_ids)
        return self.pick(HOSTILE_STRINGS)

    def hostile_scalar(self):
        roll = self.rng.random()
        if roll < 0.55:
            return self.hostile_string()
        if roll < 0.85:
            return self.pick(HOSTILE_NUMBERS)
        if roll < 0.86:
            return self.pick(NON_FINITE)
        return self.pick([True, False, None])

    def dot_path(self):
        length = self.rng.randint(18, 60) if self.chance(5) else self.rng.randint(1, 4)
        segments = []
        previous = None
        for index in range(length):
            last = index == length - 1
            if last or self.chance(20):
                segments.append(self.field(previous))
            else:
                segments.append(self.pick(self.relations))
            previous = segments[-1]
        if self.chance(5):
            segments.insert(self.rng.randint(0, len(segments)), self.pick(["", " ", "..", "*"]))
        return ".".join(segments)

    # --- query strings -----------------------------------------------------------------------
    def encode_key(self, key):
        """Brackets raw or percent-encoded (qs decodes keys first); everything else made sendable."""
        mode = self.rng.random()
        out = []
        for ch in key:
            if ch in "[]" and mode < 0.8:
                out.append(ch)
            elif ch in "[]$" and mode < 0.95:
                out.append(urllib.parse.quote(ch, safe=""))
            else:
                out.append(self.encode_char(ch))
        return "".join(out)

    def encode_value(self, value):
        if value is None:
            return None
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, float):
            text = repr(value)
        else:
            text = str(value)
        roll = self.rng.random()
        if roll < 0.7:
            return urllib.parse.quote(text, safe="")
        if roll < 0.85:
            return urllib.parse.quote_plus(text, safe="")
        # Raw, keeping what http.client can send; stray % escapes stay invalid on purpose.
        return "".join(self.encode_char(ch) if ch not in "%" else ch for ch in text)

    @staticmethod
    def encode_char(ch):
        if ch in "&=#+" or ord(ch) <= 0x20 or ord(ch) >= 0x7f:
            return urllib.parse.quote(ch, safe="")
        return ch

    def filter_key(self, prefix="filters"):
        segments = [prefix]
        previous = None
        for _ in range(self.rng.randint(0, 2) if not self.chance(5) else self.rng.randint(15, 45)):
            roll = self.rng.random()
            if roll < 0.2:
                logical = self.pick(LOGICAL)
                segments.append(logical)
                if logical != "$not":
                    segments.append(str(self.pick([0, 0, 1, 2, 99, 100, 101, 1000, 99999, -1])) if self.chance(90) else "")
            elif roll < 0.5:
                segments.append(self.pick(self.relations))
                previous = segments[-1]
            else:
                segments.append(self.field(previous))
                previous = None
        if previous is not None or len(segments) == 1 or segments[-1] in LOGICAL or segments[-1].isdigit():
            segments.append(self.field(previous))
        if self.chance(80):
            segments.append(self.pick(OPERATORS) if self.chance(90) else self.pick(BAD_KEYS))
        if segments[-1] in ("$in", "$notIn", "$between") and self.chance(60):
            segments.append(str(self.rng.randint(0, 120)) if self.chance(70) else "")
        key = segments[0] + "".join("[" + s + "]" for s in segments[1:])
        if self.chance(3):
            key = self.pick([key + "]", key[:-1], key.replace("][", "]["), "[" + key, key + "[", key + "[][]"])
        return key

    def query_params(self):
        params = []
        # Mostly one or two parameters, so that one refused key does not hide the others.
        for _ in range(self.pick([1, 1, 1, 2, 2, 3, 6]) if self.chance(95) else 0):
            kind = self.rng.random()
            if kind < 0.35:
                params.append((self.filter_key(), self.hostile_scalar()))
            elif kind < 0.45:
                # A huge list: $in / $or with hundreds of entries, or one huge index.
                field = self.field()
                count = self.rng.randint(90, 1200)
                if self.chance(50):
                    params.extend(("filters[%s][$in][%s]" % (field, self.pick(["", str(i)])), self.hostile_scalar() if self.chance(10) else i)
                                  for i in range(count))
                else:
                    params.extend(("filters[$or][%d][%s]" % (i, field), self.hostile_scalar()) for i in range(count))
            elif kind < 0.55:
                params.append(self.sort_param())
            elif kind < 0.70:
                params.extend(self.populate_params())
            elif kind < 0.78:
                params.append(self.fields_param())
            elif kind < 0.88:
                params.append(("pagination[%s]" % self.pick(["page", "pageSize", "start", "limit", "withCount", "x", ""]),
                               self.pick(HOSTILE_NUMBERS + HOSTILE_STRINGS[:30])))
            elif kind < 0.94:
                params.append((self.pick(["_q", "status", "locale", "publicationState", "_where", "sort", "populate", "fields",
                                          "filters", "pagination", "[", "]", "", "a[b][][0][$or][1000]"]),
                               self.hostile_scalar()))
            else:
                params.append((self.pick(BAD_KEYS) + "[" + self.pick(BAD_KEYS) + "]" * self.rng.randint(0, 3), None))
        return params

    def sort_param(self):
        roll = self.rng.random()
        direction = lambda: self.pick([":asc", ":desc", ":DESC", "", "", ":up", ":", " : desc "])
        if roll < 0.5:
            count = self.rng.randint(1, 4) if not self.chance(10) else self.rng.randint(90, 400)
            return ("sort", self.pick([",", ", ", ",,"]).join(self.dot_path() + direction() for _ in range(count)))
        if roll < 0.7:
            return ("sort[%s]" % self.pick(["0", "1", "", "101"]), self.dot_path() + direction())
        if roll < 0.9:
            return ("sort" + "".join("[%s]" % self.pick(self.relations) for _ in range(self.rng.randint(0, 4))) + "[%s]" % self.field(),
                    self.pick(["asc", "desc", "", "x", 1]))
        return ("sort", self.pick([",", ".", ":", ",:"]) * self.rng.randint(1, 5000))

    def populate_params(self):
        roll = self.rng.random()
        if roll < 0.25:
            return [("populate", self.pick(["*", "true", "false", "", ",", "*,*", "deep", "*.*"]) if self.chance(40)
                     else ",".join(self.dot_path() for _ in range(self.rng.randint(1, 3))))]
        if roll < 0.35:
            return [("populate[%d]" % i, self.dot_path()) for i in range(self.rng.randint(1, 3))]
        # Nested options: populate[a][populate][b][fields][0]=x …
        key = "populate"
        for _ in range(self.rng.randint(1, 3) if not self.chance(5) else self.rng.randint(10, 30)):
            key += "[%s]" % self.pick(self.relations + [self.field()])
            if self.chance(60):
                key += "[populate]"
        option = self.pick(["fields", "filters", "sort", "populate", "count", "start", "limit", "page", "pageSize", "on",
                            "status", "publicationFilter", "", "x"])
        if option == "fields":
            return [(key + "[fields][%s]" % self.pick(["0", "1", ""]), self.field())]
        if option == "filters":
            return [(self.filter_key(prefix=key + "[filters]"), self.hostile_scalar())]
        if option == "sort":
            name, value = self.sort_param()
            return [(key + name[len("sort"):] if name != "sort" else key + "[sort]", value)]
        if option == "on":
            return [(key + "[on][%s][%s]" % (self.pick(COMPONENTS + ["api::article.article"]),
                                             self.pick(["fields", "populate", "filters", "x"])), self.field())]
        if option in ("count", "start", "limit", "page", "pageSize"):
            return [(key + "[%s]" % option, self.pick(HOSTILE_NUMBERS + ["true", "x", ""]))]
        if option == "populate":
            return [(key + "[populate]", self.pick(["*", "true", "", self.dot_path()]))]
        return [(key + ("[%s]" % option if option else ""), self.hostile_scalar())]

    def fields_param(self):
        roll = self.rng.random()
        if roll < 0.5:
            return ("fields", ",".join(self.field() for _ in range(self.rng.randint(1, 5))))
        if roll < 0.7:
            return ("fields[%s]" % self.pick(["0", "1", "", "1000"]), self.field())
        if roll < 0.8:
            return ("fields", "," * self.rng.randint(1, 5000) + self.field())
        return ("fields", self.hostile_scalar())

    def query_string(self):
        if self.chance(3):
            # Pure garbage.
            return "".join(self.pick(list("[]&=%$+,.:") + ["%5B", "%5D", "%zz", "%FF", "a", "0"])
                           for _ in range(self.rng.randint(1, 3000)))
        parts = []
        for key, value in self.query_params():
            encoded_key = self.encode_key(key)
            encoded_value = self.encode_value(value)
            parts.append(encoded_key if encoded_value is None else encoded_key + "=" + encoded_value)
        if self.chance(5):
            parts.insert(self.rng.randint(0, len(parts)), self.pick(["", "&", "=", "==", "[]=", "%", "a[=1", "a]=1"]))
        return "&".join(parts)

    # --- bodies ------------------------------------------------------------------------------
    def reference(self):
        roll = self.rng.random()
        if roll < 0.35 and self.document_ids:
            return self.pick(self.document_ids)
        if roll < 0.55:
            return self.pick(HUGE_INTS + [0, -1, 1, 2, 1.5, 1e20, "1", "-1", "", "x" * 300])
        if roll < 0.85:
            item = {}
            for key in self.rng.sample(["documentId", "id", "locale", "status", "position", "__type", "extra"], self.rng.randint(0, 3)):
                if key == "documentId":
                    item[key] = self.pick(self.document_ids) if self.document_ids and self.chance(60) else self.hostile_scalar()
                elif key == "id":
                    item[key] = self.pick(HUGE_INTS + [0, -1, 1, "1", "abc", None, 1e300])
                elif key == "status":
                    item[key] = self.pick(["draft", "published", "modified", "", None, 1, ["draft"]])
                elif key == "locale":
                    item[key] = self.pick(["en", "fr", "", None, 3, ["en"], "*"])
                elif key == "position":
                    item[key] = self.position()
                else:
                    item[key] = self.hostile_scalar()
            return item
        return self.hostile_scalar()

    def position(self):
        roll = self.rng.random()
        if roll < 0.8:
            anchor = self.pick(["before", "after", "start", "end", "", "middle"])
            return {anchor: self.reference() if anchor in ("before", "after") or self.chance(30) else True}
        return self.pick([None, "start", 1, [], {"before": None, "after": None}, {"start": True, "end": True}])

    def relation_value(self):
        roll = self.rng.random()
        if roll < 0.15:
            return self.reference()
        if roll < 0.3:
            count = self.rng.randint(0, 5) if not self.chance(5) else self.rng.randint(990, 1100)
            return [self.reference() for _ in range(count)]
        value = {}
        for key in self.rng.sample(["connect", "disconnect", "set", "options", "extra"], self.rng.randint(1, 3)):
            if key == "options":
                value[key] = {"strict": self.pick([True, False, "true", "false", "yes", 1, None])} if self.chance(80) else self.hostile_scalar()
            elif key == "extra":
                value[key] = self.hostile_scalar()
            else:
                count = self.rng.randint(0, 4) if not self.chance(5) else self.rng.randint(500, 1100)
                value[key] = [self.reference() for _ in range(count)] if self.chance(85) else self.reference()
        return value

    def dynamic_zone(self):
        items = []
        for _ in range(self.rng.randint(0, 4)):
            item = {"__component": self.pick(COMPONENTS) if self.chance(90) else self.hostile_scalar()}
            for _ in range(self.rng.randint(0, 3)):
                item[self.field()] = self.value(depth=1)
            if self.chance(20):
                item["id"] = self.pick(HUGE_INTS + [0, 1, "1"])
            items.append(item)
        return items if self.chance(90) else self.hostile_scalar()

    def value(self, depth):
        roll = self.rng.random()
        if roll < 0.5 or depth <= 0:
            return self.hostile_scalar()
        if roll < 0.65:
            return self.relation_value()
        if roll < 0.75:
            return self.dynamic_zone()
        if roll < 0.88:
            return [self.value(depth - 1) for _ in range(self.rng.randint(0, 4))]
        return {self.field(): self.value(depth - 1) for _ in range(self.rng.randint(0, 4))}

    def data(self):
        data = {}
        for _ in range(self.rng.randint(0, 6)):
            name = self.field()
            if name in self.relations and self.chance(70):
                data[name] = self.dynamic_zone() if name == "blocks" else self.relation_value()
            else:
                data[name] = self.value(depth=2)
        return data

    def body(self):
        """Returns (bytes, content type)."""
        roll = self.rng.random()
        content_type = "application/json"
        if self.chance(4):
            content_type = self.pick(["text/plain", "", "application/json; charset=utf-16", "application/x-www-form-urlencoded",
                                      "multipart/form-data; boundary=x", "application/json; charset=latin1", "application/vnd.api+json"])
        if roll < 0.70:
            payload = {"data": self.data()} if self.chance(95) else self.pick([{"data": None}, {"data": []}, {"data": "x"}, {}, [], None, "data"])
            text = json.dumps(payload, ensure_ascii=self.chance(50), allow_nan=True)
            if self.chance(10):
                text = text.replace("1e+300", self.pick(RAW_NUMBERS), 1) if "1e+300" in text else text.replace("0", self.pick(RAW_NUMBERS), 1)
            return text.encode("utf-8", "surrogatepass"), content_type
        if roll < 0.78:
            depth = self.pick([100, 500, 511, 512, 513, 600, 5000, 100000])
            opener, closer = self.pick([("[", "]"), ('{"a":', "}"), ('{"data":', "}")])
            text = '{"data":{"title":' + opener * depth + "1" + closer * depth + "}}" if self.chance(50) else opener * depth + closer * (depth if self.chance(50) else 0)
            return text.encode(), content_type
        if roll < 0.86:
            valid = json.dumps({"data": self.data()}).encode()
            mutated = bytearray(valid)
            for _ in range(self.rng.randint(1, 4)):
                if not mutated:
                    break
                at = self.rng.randrange(len(mutated))
                op = self.rng.random()
                if op < 0.3:
                    mutated[at] = self.rng.randrange(256)
                elif op < 0.6:
                    del mutated[at:at + self.rng.randint(1, 10)]
                elif op < 0.8:
                    mutated[at:at] = self.pick([b"{", b"}", b"[", b"]", b",", b":", b'"', b"\\", b"\\u", b"\\ud800", b"\x00", b"\xff", b"\xc0\x80",
                                                b"NaN", b"Infinity"] + [t.encode() for t in RAW_NUMBERS])
                else:
                    del mutated[at:]
            return bytes(mutated), content_type
        if roll < 0.92:
            return self.pick([b"", b"null", b"[]", b"{}", b'"data"', b"\xef\xbb\xbf{\"data\":{}}", b"\xff\xfe{\x00}\x00",
                              b'{"data":{"title":"a","title":"b"}}', b'{"data":{}, "data":null}',
                              ('{"data":{"title":%s}}' % self.pick(RAW_NUMBERS + INVALID_NUMBER_TOKENS)).encode(),
                              b'{"data":{"title":"\\ud800"}}', b'{"data":{"title":"\\u0000"}}', b'{"data":{"title":"\x01"}}',
                              b"{\"data\":" + b"\"" + b"a" * 2_000_000 + b"\"}"]), content_type
        # A wide object: many distinct keys in one object (at most --wide-keys).
        count = self.rng.randint(1, max(1, self.wide_keys))
        inner = ",".join('"k%d":%d' % (i, i) for i in range(count))
        where = self.pick(["data", "root", "relation"])
        if where == "data":
            text = '{"data":{%s}}' % inner
        elif where == "root":
            text = "{%s}" % inner
        else:
            text = '{"data":{"%s":{"connect":[{%s}]}}}' % (self.pick(self.relations), inner)
        return text.encode(), content_type

    # --- requests ----------------------------------------------------------------------------
    def document_path(self, base):
        if self.document_ids and self.chance(60):
            return base + "/" + self.pick(self.document_ids)
        return base + "/" + self.pick(HOSTILE_IDS)

    def request(self):
        """Returns (method, path, body bytes or None, headers)."""
        base = self.pick(self.paths)
        roll = self.rng.random()
        self.use("/api/upload/files" if self.uploads and roll < 0.12 else base)
        query = self.query_string()
        headers = {}
        if self.uploads and roll < 0.12:
            if self.file_ids and self.chance(30):
                return "GET", "/api/upload/files/" + str(self.pick(self.file_ids + HOSTILE_IDS)) + "?" + query, None, headers
            return "GET", "/api/upload/files?" + query, None, headers
        if not self.writes or roll < 0.55:
            return "GET", base + "?" + query, None, headers
        if roll < 0.63:
            return "GET", self.document_path(base) + "?" + query, None, headers
        if roll < 0.65:
            # Only ids no document can have (documentIds are 24 lowercase letters and digits).
            return "DELETE", base + "/" + self.pick([i for i in HOSTILE_IDS if not i.isalnum()]), None, headers
        body, content_type = self.body()
        if content_type:
            headers["Content-Type"] = content_type
        if roll < 0.82:
            return "POST", base + ("?" + query if self.chance(20) else ""), body, headers
        return "PUT", self.document_path(base) + ("?" + query if self.chance(20) else ""), body, headers

    def learn(self, payload):
        """Collects documentIds from a response, for relation bodies and document paths."""
        def walk(value, depth):
            if depth > 6:
                return
            if isinstance(value, dict):
                doc = value.get("documentId")
                if isinstance(doc, str) and doc not in self.document_ids and len(self.document_ids) < 200:
                    self.document_ids.append(doc)
                for item in value.values():
                    walk(item, depth + 1)
            elif isinstance(value, list):
                for item in value[:50]:
                    walk(item, depth + 1)
        walk(payload, 0)


# ---------------------------------------------------------------------------------------------
# Transport

class Target:
    def __init__(self, url, token, timeout):
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https"):
            raise SystemExit("--url must be http:// or https://")
        self.scheme = parsed.scheme
        self.host = parsed.hostname or "127.0.0.1"
        self.port = parsed.port or (443 if parsed.scheme == "https" else 80)
        self.prefix = parsed.path.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.connection = None
        self.base = "%s://%s:%d%s" % (self.scheme, self.host if ":" not in self.host else "[%s]" % self.host, self.port, self.prefix)

    def is_loopback(self):
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            try:
                return all(ipaddress.ip_address(info[4][0]).is_loopback for info in socket.getaddrinfo(self.host, self.port))
            except OSError:
                return False

    def connect(self):
        cls = http.client.HTTPSConnection if self.scheme == "https" else http.client.HTTPConnection
        self.connection = cls(self.host, self.port, timeout=self.timeout)

    def close(self):
        if self.connection is not None:
            try:
                self.connection.close()
            except OSError:
                pass
        self.connection = None

    def send(self, method, path, body=None, headers=None, timeout=None):
        """Returns (status, response bytes, elapsed); raises OSError/HTTPException on transport errors."""
        if self.connection is None:
            self.connect()
        self.connection.timeout = timeout or self.timeout
        if self.connection.sock is not None:
            self.connection.sock.settimeout(timeout or self.timeout)
        all_headers = {"Accept": "application/json", "User-Agent": "strata-fuzz"}
        if self.token:
            all_headers["Authorization"] = "Bearer " + self.token
        all_headers.update(headers or {})
        if body is not None:
            all_headers["Content-Length"] = str(len(body))
        started = time.monotonic()
        try:
            self.connection.request(method, self.prefix + path, body=body, headers=all_headers)
            response = self.connection.getresponse()
            data = response.read()
            if response.getheader("connection", "").lower() == "close":
                self.close()
            return response.status, data, time.monotonic() - started
        except BaseException:
            self.close()
            raise

    def alive(self, wait=0.0):
        """GET /_health on a fresh connection, retried for up to `wait` seconds: "ok" (2xx),
        "refused" (nothing listens: the server died) or "unresponsive" (no 2xx answer in time)."""
        deadline = time.monotonic() + wait
        while True:
            cls = http.client.HTTPSConnection if self.scheme == "https" else http.client.HTTPConnection
            probe = cls(self.host, self.port, timeout=min(self.timeout, 5))
            state = "unresponsive"
            try:
                probe.request("GET", self.prefix + "/_health")
                response = probe.getresponse()
                response.read()
                if 200 <= response.status < 300:
                    return "ok"
            except ConnectionRefusedError:
                state = "refused"
            except (OSError, http.client.HTTPException):
                pass
            finally:
                probe.close()
            if time.monotonic() >= deadline:
                return state
            time.sleep(0.5)


def curl_command(target, method, path, body, headers):
    parts = ["curl", "-sS", "-g", "-X", method, target.base + path]
    for name, value in headers.items():
        parts += ["-H", "%s: %s" % (name, value)]
    if target.token:
        parts += ["-H", "Authorization: Bearer $TOKEN"]
    if body is not None:
        if len(body) <= 4000:
            try:
                parts += ["--data-binary", body.decode("utf-8")]
            except UnicodeDecodeError:
                parts += ["--data-binary", "@body.bin"]
        else:
            parts += ["--data-binary", "@body.bin"]
    return " ".join(shlex.quote(p) if not p.startswith("Authorization: Bearer $") else '"%s"' % p for p in parts)


# ---------------------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description="Fuzz a running Strata server (see the module docstring).",
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:1337", help="the server (default %(default)s)")
    parser.add_argument("--token", help="an API token (full-access, so that requests get past permissions)")
    parser.add_argument("--seconds", type=float, default=60, help="how long to run (default %(default)s)")
    parser.add_argument("--requests", type=int, help="stop after this many requests")
    parser.add_argument("--path", action="append", dest="paths", help="a collection path; repeatable (default /api/articles)")
    parser.add_argument("--uploads", action="store_true", help="also fuzz GET /api/upload/files")
    parser.add_argument("--no-writes", action="store_true", help="only GET requests")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default %(default)s)")
    parser.add_argument("--out", default="fuzz-findings.jsonl", help="findings file, JSON lines (default %(default)s)")
    parser.add_argument("--timeout", type=float, default=15, help="seconds without an answer that make a finding (default %(default)s)")
    parser.add_argument("--health-every", type=float, default=5, help="seconds between /_health checks (default %(default)s)")
    parser.add_argument("--recover", type=float, default=120, help="seconds to wait for /_health after an error before giving up (default %(default)s)")
    parser.add_argument("--wide-keys", type=int, default=5000, help="most keys in the generated wide-object bodies (default %(default)s)")
    parser.add_argument("--allow-remote", action="store_true", help="allow a non-loopback --url")
    parser.add_argument("--replay", metavar="FILE", help="send the requests recorded in a findings file again and report their outcome")
    parser.add_argument("--verbose", action="store_true", help="print every request")
    args = parser.parse_args()

    target = Target(args.url, args.token, args.timeout)
    if not target.is_loopback() and not args.allow_remote:
        raise SystemExit("refusing to fuzz %s: not a loopback address (use --allow-remote for a throwaway server elsewhere)" % args.url)
    if target.alive(wait=5) != "ok":
        print("no answer from %s/_health" % target.base, file=sys.stderr)
        return 2

    if args.replay:
        return replay(target, args.replay)

    rng = random.Random(args.seed)
    fuzzer = Fuzzer(rng, args.paths or ["/api/articles"], args.uploads, not args.no_writes, args.wide_keys)
    # Learn field names, relations and documentIds from what the server holds.
    for path in fuzzer.paths + (["/api/upload/files"] if args.uploads else []):
        try:
            status, data, _ = target.send("GET", path + "?populate=*&pagination[pageSize]=50")
            if status == 200:
                payload = json.loads(data)
                fuzzer.learn(payload)
                plain_status, plain, _ = target.send("GET", path + "?pagination[pageSize]=50")
                if plain_status == 200:
                    fuzzer.learn_schema(path, json.loads(plain), payload)
                if path == "/api/upload/files" and isinstance(payload, list):
                    fuzzer.file_ids = [item.get("id") for item in payload if isinstance(item, dict) and "id" in item][:50]
            elif status in (401, 403):
                print("warning: GET %s answers %d; pass a full-access --token to get past permissions" % (path, status), file=sys.stderr)
        except (OSError, http.client.HTTPException, ValueError) as error:
            print("warning: could not read %s: %s" % (path, error), file=sys.stderr)

    out = open(args.out, "w", encoding="utf-8")
    started = time.monotonic()
    last_health = started
    statuses = {}
    findings = 0
    sent = 0
    slowest = (0.0, None)
    died = False
    try:
        while True:
            now = time.monotonic()
            if now - started >= args.seconds or (args.requests is not None and sent >= args.requests):
                break
            method, path, body, headers = fuzzer.request()
            index = sent
            sent += 1
            if args.verbose:
                print("%d %s %s %s" % (index, method, path[:200], (body or b"")[:120]))
            kind = None
            status = None
            response = b""
            elapsed = 0.0
            try:
                status, response, elapsed = target.send(method, path, body, headers)
                statuses[status] = statuses.get(status, 0) + 1
                if status >= 500:
                    kind = "5xx"
                elif status == 200 and method == "GET" and fuzzer.chance(5):
                    try:
                        fuzzer.learn(json.loads(response))
                    except ValueError:
                        pass
                if method in ("POST", "PUT") and 200 <= status < 300:
                    try:
                        fuzzer.learn(json.loads(response))
                    except ValueError:
                        pass
            except socket.timeout:
                kind = "timeout"
                elapsed = args.timeout
                statuses["timeout"] = statuses.get("timeout", 0) + 1
            except (OSError, http.client.HTTPException) as error:
                kind = "connection-error"
                response = repr(error).encode()
                statuses["error"] = statuses.get("error", 0) + 1
            if elapsed > slowest[0]:
                slowest = (elapsed, "%s %s" % (method, path[:300]))
            if kind is not None:
                findings += 1
                record = {
                    "kind": kind, "seed": args.seed, "index": index, "method": method, "path": path, "headers": headers,
                    "body": None if body is None else body.decode("utf-8", "replace"),
                    "body_base64": None if body is None else base64.b64encode(body).decode("ascii"),
                    "status": status, "elapsed": round(elapsed, 3), "response": response[:2000].decode("utf-8", "replace"),
                    "curl": curl_command(target, method, path, body, headers),
                }
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                out.flush()
                print("FINDING %s: %s %s%s -> %s" % (kind, method, path[:300], "" if body is None else " (body %d bytes)" % len(body),
                                                     status if status is not None else response[:200].decode("utf-8", "replace")))
                if kind != "5xx":
                    # The server may have died, or be busy with the request that timed out.
                    state = target.alive(wait=args.recover)
                    if state != "ok":
                        died = stop_record(out, state, index, method, path, args.recover)
                        findings += 1
                        break
                last_health = time.monotonic()
            elif time.monotonic() - last_health >= args.health_every:
                last_health = time.monotonic()
                state = target.alive(wait=args.recover)
                if state != "ok":
                    died = stop_record(out, state, index, method, path, args.recover)
                    findings += 1
                    break
    except KeyboardInterrupt:
        print("interrupted")
    finally:
        out.close()
        target.close()

    duration = time.monotonic() - started
    print("\n%d requests in %.1f s (%.1f/s), seed %d" % (sent, duration, sent / duration if duration else 0, args.seed))
    print("statuses: " + ", ".join("%s×%d" % (k, v) for k, v in sorted(statuses.items(), key=lambda kv: str(kv[0]))))
    if slowest[1]:
        print("slowest: %.2f s for %s" % (slowest[0], slowest[1][:200]))
    print("findings: %d%s%s" % (findings, " (written to %s)" % args.out if findings else "", "; the server stopped answering" if died else ""))
    return 1 if findings else 0


def stop_record(out, state, index, method, path, recover):
    """Records that the server died (connection refused) or stayed unresponsive; returns True."""
    kind = "server-died" if state == "refused" else "server-unresponsive"
    out.write(json.dumps({"kind": kind, "after": index, "method": method, "path": path}) + "\n")
    out.flush()
    print("%s after request %d (%s %s): /_health %s for %.0f s; stopping" % (
        kind, index, method, path[:200], "refuses connections" if state == "refused" else "does not answer", recover))
    return True


def replay(target, path):
    outcomes = 0
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if "method" not in record or "path" not in record or "headers" not in record:
                continue
            if record.get("body_base64") is not None:
                body = base64.b64decode(record["body_base64"])
            else:
                body = None if record.get("body") is None else record["body"].encode("utf-8")
            try:
                status, response, elapsed = target.send(record["method"], record["path"], body, record.get("headers") or {})
                outcome = "%d in %.2f s: %s" % (status, elapsed, response[:200].decode("utf-8", "replace"))
                if status >= 500:
                    outcomes += 1
            except socket.timeout:
                outcome = "timeout"
                outcomes += 1
            except (OSError, http.client.HTTPException) as error:
                outcome = "connection error %r" % error
                outcomes += 1
            print("%s %s -> %s" % (record["method"], record["path"][:200], outcome))
            if target.alive(wait=30) != "ok":
                print("the server does not answer /_health")
                return 1
    return 1 if outcomes else 0


if __name__ == "__main__":
    sys.exit(main())
