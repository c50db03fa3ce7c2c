#!/usr/bin/env bash
# Checks (and where it can, installs) what npm cannot: a JDK 21+ (Elasticsearch 9 and Apicurio
# Registry 3 need it; Kafka runs on it too, or on a separate JDK 17+) and Maven, which fetches the
# services' artifacts from Maven Central. Looks where tools/infra/src/java.ts looks.
# --services: only what the local services need (`infra up --system-deps` runs it, when it is about
# to start them; `npm start` asks for that).
set -euo pipefail
services_only=false
[ "${1:-}" = "--services" ] && services_only=true

java_major() { # the major version of the JDK at $1, or nothing
  [ -f "$1/release" ] && sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" | head -1
}
newest_jdk() {
  local best=0 home major
  for home in ${ES_JAVA_HOME:-} ${REGISTRY_JAVA_HOME:-} ${KAFKA_JAVA_HOME:-} ${JAVA_HOME:-} \
    /usr/lib/jvm/* /opt/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    major=$(java_major "$home" 2>/dev/null || true)
    if [ -n "$major" ] && [ "$major" -gt "$best" ]; then best=$major; fi
  done
  echo "$best"
}
can_apt() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }

node_version=$(node --version) # vMAJOR.MINOR.PATCH; parsed here, not by node -p (a parent's NODE_OPTIONS loader can swallow -p)
node_major=${node_version#v}; node_major=${node_major%%.*}
node_minor=${node_version#v*.}; node_minor=${node_minor%%.*}
if [ "$node_major" -lt 20 ] || { [ "$node_major" -eq 20 ] && [ "$node_minor" -lt 19 ]; }; then
  echo "Node 20.19 or newer is needed (this is $(node --version)): https://nodejs.org or your package manager." >&2
  exit 1
fi

if ! command -v mvn >/dev/null; then
  if can_apt; then
    echo "installing maven (apt-get)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq maven >/dev/null
  else
    echo "Maven is missing: install it (Debian: apt-get install maven; macOS: brew install maven)." >&2
    exit 1
  fi
fi

if [ "$(newest_jdk)" -lt 21 ] && can_apt; then
  for jdk in openjdk-25-jdk-headless openjdk-21-jdk-headless; do
    if apt-cache show "$jdk" >/dev/null 2>&1; then
      echo "installing $jdk (apt-get)"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$jdk" >/dev/null
      break
    fi
  done
fi
if [ "$(newest_jdk)" -lt 21 ]; then
  echo "A JDK 21 or newer is needed (Elasticsearch 9, Apicurio Registry 3) and none was found or installable here." >&2
  echo "Install one (e.g. Eclipse Temurin 21 or 25) and, if it is not under /usr/lib/jvm, set ES_JAVA_HOME and REGISTRY_JAVA_HOME." >&2
  exit 1
fi
if [ "$services_only" = true ]; then
  echo "node $(node --version), $(mvn -B -v 2>/dev/null | head -1), newest JDK: $(newest_jdk)"
  exit 0
fi
# The dashboard's browser test drives Debian's Chromium through playwright-core (no browser
# download); the monitoring test runs Debian's Prometheus (and promtool) against the apps.
apt_install() { # $1: command that must exist, $2: Debian package
  command -v "$1" >/dev/null && return 0
  if ! can_apt; then
    echo "$1 is missing: install it (Debian: apt-get install $2)." >&2
    exit 1
  fi
  echo "installing $2 (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null 2>&1 ||
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null; }
}
[ -n "${CHROMIUM_PATH:-}" ] || apt_install chromium chromium
apt_install prometheus prometheus
echo "node $(node --version), $(mvn -B -v 2>/dev/null | head -1), newest JDK: $(newest_jdk), $(chromium --version 2>/dev/null || echo "chromium at $CHROMIUM_PATH"), $(prometheus --version 2>&1 | head -1)"
