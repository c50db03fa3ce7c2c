#!/usr/bin/env bash
# Checks (and where it can, installs) what npm cannot: a JDK 17+ for Kafka, a JDK 21+ for
# Elasticsearch and the schema registry, and Maven to fetch their artifacts from Maven Central.
set -euo pipefail

java_major() { # prints the major version of the JDK at $1, or nothing
  [ -f "$1/release" ] && sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release"
}
best_java=0
for home in ${JAVA_HOME:-} /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
  major=$(java_major "$home" || true)
  [ -n "$major" ] && [ "$major" -gt "$best_java" ] && best_java=$major
done

missing=()
command -v mvn >/dev/null || missing+=(maven)
[ "$best_java" -ge 17 ] || missing+=(openjdk-17-jdk-headless)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing ${missing[*]} (apt-get)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "missing: ${missing[*]}. Install them (Debian: apt-get install ${missing[*]}) and run again." >&2
    exit 1
  fi
fi

for home in ${ES_JAVA_HOME:-} /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
  major=$(java_major "$home" || true)
  [ -n "$major" ] && [ "$major" -gt "$best_java" ] && best_java=$major
done
if [ "$best_java" -lt 21 ]; then
  echo "Elasticsearch 9 and Apicurio Registry 3 need a JDK 21 or newer; none found in /usr/lib/jvm." >&2
  echo "Install one (e.g. Eclipse Temurin 21/25) and/or set ES_JAVA_HOME and REGISTRY_JAVA_HOME." >&2
  exit 1
fi
echo "node $(node --version), $(mvn -B -v 2>/dev/null | head -1), newest JDK: $best_java"
