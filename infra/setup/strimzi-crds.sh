#!/usr/bin/env bash
# Provides the kafka.strimzi.io CRDs of the pinned Strimzi release, generated
# from its API model classes by its own CRD generator (both from Maven Central,
# resolved through infra/strimzi-crds/pom.xml), as the release's chart carries
# them. Prints the directory holding one YAML file per CRD on stdout.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/setup/common.sh"

pom="$here/strimzi-crds/pom.xml"
version=$(sed -n 's:.*<strimzi.version>\(.*\)</strimzi.version>.*:\1:p' "$pom")
out="$CACHE/strimzi-crds-$version"
stamp="$out/.generated-$(cat "$pom" "$0" | sha1sum | cut -c1-12)"
if [ -f "$stamp" ]; then echo "$out/crds"; exit 0; fi

# The classes are Java 21 class files; machines here carry Java 17 as `java`
# and a Java 25 JDK beside it.
java=""
for candidate in "${STRIMZI_JAVA:-}" /usr/lib/jvm/temurin-25-jdk-amd64/bin/java /usr/lib/jvm/*/bin/java "$(command -v java || true)"; do
  [ -x "$candidate" ] || continue
  major=$("$candidate" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  if [ "${major:-0}" -ge 21 ]; then java=$candidate; break; fi
done
[ -n "$java" ] || die "Strimzi's CRD generator needs Java 21 or later (set STRIMZI_JAVA to its java)"
command -v mvn >/dev/null || die "Maven is required to fetch Strimzi's CRD generator (apt-get install maven)"

step "Strimzi $version: resolving the CRD generator and API classes from Maven Central"
rm -rf "$out" && mkdir -p "$out/libs" "$out/crds"
mvn -B -q -f "$pom" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$out/libs" >&2
# Every custom resource the operator's chart installs a CRD for.
m=io.strimzi.api.kafka.model
args=()
for class in kafka.Kafka nodepool.KafkaNodePool topic.KafkaTopic user.KafkaUser connect.KafkaConnect connector.KafkaConnector \
  mirrormaker2.KafkaMirrorMaker2 bridge.KafkaBridge rebalance.KafkaRebalance podset.StrimziPodSet; do
  args+=(--yaml "$m.$class=$out/crds/${class#*.}.yaml")
done
step "Strimzi $version: generating $(( ${#args[@]} / 2 )) CRDs with $java"
(cd "$out" && "$java" -cp "$out/libs/*" io.strimzi.crdgenerator.CrdGenerator \
  --crd-api-version v1 --api-versions v1,v1beta2 --storage-version v1 "${args[@]}") >&2
touch "$stamp"
step "Strimzi $version: $(ls "$out/crds" | wc -l) CRDs in $out/crds"
echo "$out/crds"
