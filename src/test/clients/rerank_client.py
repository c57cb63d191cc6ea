"""Reranks through infercore's /v1/rerank with the official, unmodified `cohere` Python SDK.

Usage: python rerank_client.py http://127.0.0.1:PORT MODEL
Cohere's v1 client posts {model, query, documents, top_n, return_documents} to <base>/v1/rerank and
parses {id, results: [{index, relevance_score, document?}]}. Exits 1 naming the first failed check;
prints one JSON object of facts as its last line.
"""
import json
import sys

import cohere

HOST, MODEL = sys.argv[1], sys.argv[2]
client = cohere.Client(base_url=HOST, api_key="not-needed")
docs = ["hi", "The giant panda is a bear", "a panda"]


def check(name, condition, detail=""):
    if not condition:
        print(f"FAILED {name}: {detail}")
        sys.exit(1)


ranked = client.rerank(model=MODEL, query="What is a panda?", documents=docs, top_n=2, return_documents=True)
check("two results, best first", [r.index for r in ranked.results] == [1, 2], ranked.results)
check("scores descend", ranked.results[0].relevance_score > ranked.results[1].relevance_score, ranked.results)
check("documents returned", ranked.results[0].document.text == docs[1], ranked.results[0])
plain = client.rerank(model=MODEL, query="panda", documents=docs)
check("all documents without top_n", sorted(r.index for r in plain.results) == [0, 1, 2], plain.results)
check("no documents unless asked", plain.results[0].document is None, plain.results[0])
try:
    client.rerank(query="panda", documents=docs)
    check("no model", False, "no error")
except cohere.errors.BadRequestError as e:
    check("no model is a 400 naming the engines", e.status_code == 400 and "vllm" in json.dumps(e.body), e.body)
print(json.dumps({"id": ranked.id, "scores": [r.relevance_score for r in ranked.results]}))
