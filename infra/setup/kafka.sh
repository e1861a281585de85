#!/usr/bin/env bash
# Provides the Apache Kafka broker and tools from Maven Central (the official
# org.apache.kafka artifacts, resolved by Maven from infra/kafka/pom.xml) and
# the topic-creation helper. Prints the directory holding libs/ on stdout.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/setup/common.sh"

version=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/kafka/pom.xml")
out="$CACHE/kafka-$version"
stamp="$out/.resolved-$(sha1sum "$here/kafka/pom.xml" | cut -c1-12)"
if [ -f "$stamp" ]; then echo "$out"; exit 0; fi

command -v java >/dev/null || die "Java 17+ is required for Kafka (apt-get install openjdk-17-jre-headless)"
command -v mvn >/dev/null || die "Maven is required to fetch Kafka (apt-get install maven)"
step "Kafka $version: resolving the broker and tools from Maven Central"
rm -rf "$out/libs" && mkdir -p "$out/libs"
mvn -B -q -f "$here/kafka/pom.xml" dependency:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$out/libs" >&2
rm -f "$out"/.resolved-* && touch "$stamp"
step "Kafka $version: $(ls "$out/libs" | wc -l) jars in $out/libs"
echo "$out"
