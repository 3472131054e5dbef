#!/usr/bin/env python3
"""Writes a deterministic Strapi data file (the format of `strapi export`) with N articles, their
authors and categories, an SEO component and a dynamic zone, for `strata import`.

Every article is a Strapi 5 document with a draft row and a published row, as Strapi stores it.
Usage: generate.py --count N --schemas schemas.jsonl --out data.tar.gz
"""
import argparse
import io
import json
import random
import tarfile

WORDS = ("alpha beta gamma delta swift strapi content headless api query filter sort page cache "
         "fast lean sqlite postgres index relation component zone media locale draft publish").split()


def sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def document_id(rng):
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(24))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--schemas", required=True, help="schemas JSONL from a `strata export` of the bench project")
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    stamp = "2025-01-01T00:00:00.000Z"

    entities, links = [], []
    authors = max(1, args.count // 10)
    categories = 20
    for i in range(1, authors + 1):
        entities.append({"type": "api::author.author", "id": i, "data": {
            "documentId": document_id(rng), "name": f"Author {i}", "email": f"author{i}@example.com",
            "createdAt": stamp, "updatedAt": stamp, "publishedAt": stamp, "locale": None}})
    for i in range(1, categories + 1):
        entities.append({"type": "api::category.category", "id": i, "data": {
            "documentId": document_id(rng), "name": f"Category {i}", "slug": f"category-{i}",
            "createdAt": stamp, "updatedAt": stamp, "publishedAt": stamp, "locale": None}})
    component_id = 0
    for n in range(1, args.count + 1):
        doc = document_id(rng)
        title = f"{sentence(rng, 4).capitalize()} {n}"
        author = rng.randint(1, authors)
        category = rng.randint(1, categories)
        fields = {"title": title, "slug": f"article-{n}", "body": sentence(rng, 40), "views": rng.randint(0, 100000),
                  "rating": round(rng.random() * 5, 2), "featured": rng.random() < 0.2,
                  "publishedOn": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"}
        for row, published in ((2 * n - 1, None), (2 * n, stamp)):
            component_id += 1
            seo = {"id": component_id, "metaTitle": title, "metaDescription": sentence(rng, 12)}
            blocks = [
                {"__component": "shared.quote", "id": component_id, "title": sentence(rng, 3), "body": sentence(rng, 15)},
                {"__component": "shared.rich-text", "id": component_id, "body": "## " + sentence(rng, 20)},
            ]
            data = {"documentId": doc, **fields, "createdAt": stamp, "updatedAt": stamp, "publishedAt": published,
                    "locale": None, "seo": seo, "blocks": blocks}
            entities.append({"type": "api::article.article", "id": row, "data": data})
            links.append({"kind": "relation.basic", "relation": "manyToOne",
                          "left": {"type": "api::article.article", "field": "author", "ref": row},
                          "right": {"type": "api::author.author", "field": "articles", "ref": author}})
            links.append({"kind": "relation.basic", "relation": "manyToOne",
                          "left": {"type": "api::article.article", "field": "category", "ref": row},
                          "right": {"type": "api::category.category", "field": "articles", "ref": category}})

    def jsonl(records):
        return "\n".join(json.dumps(r, separators=(",", ":"), ensure_ascii=False) for r in records).encode()

    with open(args.schemas, "rb") as handle:
        schemas = handle.read()
    with tarfile.open(args.out, "w:gz", format=tarfile.USTAR_FORMAT) as tar:
        def add(name, data):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            info.mtime = 0
            tar.addfile(info, io.BytesIO(data))
        add("schemas/schemas_00001.jsonl", schemas)
        add("entities/entities_00001.jsonl", jsonl(entities))
        add("links/links_00001.jsonl", jsonl(links))
        add("metadata.json", json.dumps({"createdAt": stamp, "strapi": {"version": "5.21.0"}}, indent=2).encode())


if __name__ == "__main__":
    main()
