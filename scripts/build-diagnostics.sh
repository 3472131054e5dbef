#!/bin/bash
# Developer helper: build (optionally one target) and print each distinct diagnostic once.
cd "$(dirname "$0")/.."
swift build "$@" 2>&1 | grep -E "error:|warning:" | grep -v "swift-distributed-tracing" | sort -u | head -60
echo "exit: ${PIPESTATUS[0]}"
