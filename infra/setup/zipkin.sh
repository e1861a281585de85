#!/usr/bin/env bash
# Provides the Zipkin server (the trace backend of the local stack: Dapr's
# sidecars and our services export spans to it, its UI and query API show
# them) as the official `exec` jar of io.zipkin:zipkin-server from Maven
# Central, which carries the UI. Maven checks Central's checksum on download.
# Prints the jar's path on stdout.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/setup/common.sh"

version=3.6.1
out="$CACHE/zipkin-$version"
jar="$out/zipkin-server-$version-exec.jar"
if [ -f "$jar" ]; then echo "$jar"; exit 0; fi

command -v java >/dev/null || die "Java 17+ is required for Zipkin (apt-get install openjdk-17-jre-headless)"
command -v mvn >/dev/null || die "Maven is required to fetch Zipkin (apt-get install maven)"
step "Zipkin $version: fetching the server from Maven Central"
mkdir -p "$out"
mvn -B -q dependency:copy -Dartifact="io.zipkin:zipkin-server:$version:jar:exec" \
  -DoutputDirectory="$out.partial" -Dmdep.useBaseVersion=true >&2
mv "$out.partial/zipkin-server-$version-exec.jar" "$jar" && rm -rf "$out.partial"
step "Zipkin $version: $(du -h "$jar" | cut -f1) in $out"
echo "$jar"
