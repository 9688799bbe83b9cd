#!/usr/bin/env bash
# Side-by-side start-up benchmark of the per-pull helpers (issue 15): what Docker, Podman, skopeo and the kubelet pay on
# every lookup, since they start the helper as a new process each time.
#
#   regcred-lookup AOT   docker-credential-regcred get   (the symlink to regcred-lookup, ./build.sh publish: what users run)
#   regcred AOT          the same protocol through the full regcred binary (a docker-credential-* symlink to regcred)
#   regcred JIT          docker-credential-regcred get   (the framework-dependent build, as the .NET tool runs it)
#   ecr-login            docker-credential-ecr-login get (Debian's amazon-ecr-credential-helper, Go)
#   kubelet              kubelet-credential-provider with a CredentialProviderRequest, through regcred-lookup and regcred
#
# Each helper gets the same protocol work: read a server URL on stdin, answer on stdout. regcred looks the URL up in a
# SQLite store of 1,000 entries (one docker_v2 entry per registry, secrets AES-GCM protected) and prints the credential.
# docker-credential-ecr-login is given a host that is not an ECR registry (reg0500.bench.test): it parses the URL, finds
# no ECR pattern and answers "credentials not found in native keychain" with exit 1, without any network call or AWS
# configuration (its cache directory is pointed at the temporary folder). That is its cheapest complete answer, so the
# comparison is favourable to it.
#
# Wall time: hyperfine (median, warm-up runs first), in BENCH_ROUNDS rounds. Peak memory: GNU time's "Maximum resident
# set size", the highest of 10 runs.
# Needs: hyperfine, /usr/bin/time (package time), amazon-ecr-credential-helper; ./build.sh bench-cli installs them.
# Not a test: numbers depend on the machine and its load; record them in docs/performance.md with the date and machine.
set -euo pipefail
cd "$(dirname "$0")/../.."

runs="${BENCH_RUNS:-50}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
aot_dir="${REGCRED_AOT_DIR:-artifacts/regcred/linux-x64}"
aot="$aot_dir/regcred"
lookup="$aot_dir/regcred-lookup"
jit_dir=src/RegistryCredentials.Cli/bin/Release/net10.0

[ -x "$aot" ] && [ -x "$lookup" ] || { echo "No Native AOT binaries at $aot_dir: run ./build.sh publish first." >&2; exit 1; }
dotnet build src/RegistryCredentials.Cli -c Release -v quiet -nologo >/dev/null

export REGCRED_STORE="$work/registries.db" REGCRED_KEY_FILE="$work/secret.key" REGCRED_SETTINGS="$work/settings.json"
export AWS_ECR_CACHE_DIR="$work/ecr-cache" AWS_CONFIG_FILE="$work/aws-config" AWS_SHARED_CREDENTIALS_FILE="$work/aws-credentials"
unset REGCRED_SECRET_KEY REGCRED_ACCOUNT

# 1,000 entries in one import (no validation: the hosts do not exist). A generated secret per entry, per run.
python3 - "$work/config.json" <<'PY'
import base64, json, secrets, sys
auths = {}
for i in range(1000):
    auth = base64.b64encode(f"user{i:04}:{secrets.token_urlsafe(24)}".encode()).decode()
    auths[f"reg{i:04}.bench.test"] = {"auth": auth}
json.dump({"auths": auths}, open(sys.argv[1], "w"))
PY
"$aot" import docker-config "$work/config.json" --validate=false -o json >/dev/null 2>"$work/import.log"
entries=$("$aot" registry list -o json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
echo "store: $entries entries in $REGCRED_STORE"

# Helper names: Docker runs docker-credential-<name>; regcred-lookup and both regcred builds detect that name from argv[0].
ln -s "$(realpath "$lookup")" "$work/docker-credential-regcred"
ln -s "$(realpath "$aot")" "$work/docker-credential-regcred-full"
ln -s "$(realpath "$jit_dir/regcred")" "$work/docker-credential-regcred-jit"
printf '%s' '{"apiVersion":"credentialprovider.kubelet.k8s.io/v1","kind":"CredentialProviderRequest","image":"reg0500.bench.test/team/app:1.0"}' > "$work/kubelet-request.json"
printf 'reg0500.bench.test\n' > "$work/server-url"

# Each command must give its expected answer before it is timed.
"$work/docker-credential-regcred" get < "$work/server-url" | grep -q '"Username":"user0500"'
"$work/docker-credential-regcred-full" get < "$work/server-url" | grep -q '"Username":"user0500"'
"$lookup" kubelet-credential-provider < "$work/kubelet-request.json" | grep -q '"username":"user0500"'
"$work/docker-credential-regcred-jit" get < "$work/server-url" | grep -q '"Username":"user0500"'
"$aot" kubelet-credential-provider < "$work/kubelet-request.json" | grep -q '"username":"user0500"'
ecr_answer=$(docker-credential-ecr-login get < "$work/server-url" || true)
echo "docker-credential-ecr-login get answers: $ecr_answer"

commands=(
  "regcred-lookup AOT get|$work/docker-credential-regcred get < $work/server-url"
  "regcred AOT get|$work/docker-credential-regcred-full get < $work/server-url"
  "regcred JIT get|$work/docker-credential-regcred-jit get < $work/server-url"
  "ecr-login get|docker-credential-ecr-login get < $work/server-url"
  "regcred-lookup AOT kubelet|$lookup kubelet-credential-provider < $work/kubelet-request.json"
  "regcred AOT kubelet|$aot kubelet-credential-provider < $work/kubelet-request.json"
)

# hyperfine runs each command through a shell (for the stdin redirect) and subtracts the shell's own start time. It runs
# one command's runs after the other's, and a machine's speed can drift within a minute (on the 2-core test VM the two
# lookups, which do nearly the same work, measured 10.8 and 8.3 ms median in one run, docs/performance.md): so the whole
# list runs BENCH_ROUNDS times (default 3), each command BENCH_RUNS times per round, and each row is over all its runs.
rounds="${BENCH_ROUNDS:-3}"
names=()
for entry in "${commands[@]}"; do
  names+=("${entry%%|*}")
done
for round in $(seq "$rounds"); do
  hyperfine_args=(--warmup 5 --runs "$runs" -i --export-json "$work/hyperfine-$round.json" --style basic)
  for entry in "${commands[@]}"; do
    hyperfine_args+=(-n "${entry%%|*}" "${entry#*|}")
  done
  hyperfine "${hyperfine_args[@]}" >/dev/null
done

# Peak RSS and CPU time (user + system) from GNU time over 10 runs each: CPU time is what the process itself costs, and
# unlike wall time it hardly moves when other work shares the machine.
declare -A rss cpu
for entry in "${commands[@]}"; do
  : > "$work/time"
  for _ in $(seq 10); do
    /usr/bin/time -a -o "$work/time" -f "%U %S %M" sh -c "exec ${entry#*|}" >/dev/null 2>&1 || true
  done
  rss["${entry%%|*}"]=$(grep -E '^[0-9.]+ [0-9.]+ [0-9]+$' "$work/time" | awk '{ if ($3 > m) m = $3 } END { print m }')
  cpu["${entry%%|*}"]=$(grep -E '^[0-9.]+ [0-9.]+ [0-9]+$' "$work/time" | awk '{ c += $1 + $2; n++ } END { printf "%.0f", c / n * 1000 }')
done

python3 - "$work" "$rounds" \
  "$(for n in "${names[@]}"; do printf '%s=%s;' "$n" "${rss[$n]}"; done)" \
  "$(for n in "${names[@]}"; do printf '%s=%s;' "$n" "${cpu[$n]}"; done)" <<'PY'
import json, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
rss = dict(p.split("=") for p in sys.argv[3].split(";") if p)
cpu = dict(p.split("=") for p in sys.argv[4].split(";") if p)
times, medians = {}, {}
for round in range(1, rounds + 1):
    for r in json.load(open(f"{work}/hyperfine-{round}.json"))["results"]:
        times.setdefault(r["command"], []).extend(r["times"])
        medians.setdefault(r["command"], []).append(r["median"])
print(f"{rounds} rounds; the median of each round in the last column")
print("| helper | median wall (ms) | mean ± σ (ms) | min wall (ms) | CPU user+sys (ms) | peak RSS (MiB) | round medians (ms) |")
print("|---|---:|---:|---:|---:|---:|---|")
for name, t in times.items():
    peak = f'{int(rss[name]) / 1024:.1f}' if name in rss else "–"
    sigma = statistics.stdev(t) if len(t) > 1 else 0.0
    per_round = " / ".join(f"{m * 1000:.1f}" for m in medians[name])
    print(f'| {name} | {statistics.median(t)*1000:.1f} | {statistics.mean(t)*1000:.1f} ± {sigma*1000:.1f} | {min(t)*1000:.1f} '
          f'| {cpu.get(name, "–")} | {peak} | {per_round} |')
PY
