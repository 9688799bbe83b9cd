#!/usr/bin/env bash
# RegistryCredentials build script.
#   ./build.sh restore   restore NuGet packages
#   ./build.sh build     build everything (warnings are errors)
#   ./build.sh test      install what the tests need (apt) if missing, then run every test
#   ./build.sh bench     run the BenchmarkDotNet suite (extra arguments go to BenchmarkDotNet)
#   ./build.sh pack      pack the library packages into ./artifacts
#   ./build.sh publish   regcred as Native AOT executables: ./artifacts/regcred/<rid>/regcred, regcred-lookup (the per-pull
#                        lookups) and the docker-credential-regcred symlink (RIDS="linux-x64 linux-arm64")
#   ./build.sh bench-cli start-up of the per-pull helpers side by side (hyperfine): regcred AOT/JIT, ecr-login, kubelet plugin
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
configuration="${CONFIGURATION:-Release}"

# Debian packages the tests need: the registry fixture, htpasswd, the PostgreSQL store tests, the regcred end-to-end
# tests (skopeo) and the management page's browser tests (chromium).
apt_packages=(docker-registry apache2-utils postgresql skopeo chromium)

install_test_dependencies() {
  local missing=()
  for package in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "Installing test dependencies: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
}

restore() { dotnet restore RegistryCredentials.sln; }
build() { restore; dotnet build RegistryCredentials.sln --no-restore -c "$configuration"; }

run_tests() {
  install_test_dependencies
  build
  local log
  log=$(mktemp)
  set +e
  dotnet test RegistryCredentials.sln --no-build -c "$configuration" --logger "console;verbosity=normal" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  set -e
  # One plain summary line over every test project: "N passed, N failed, N skipped".
  # vstest prints "     Passed: N" / "     Failed: N" / "    Skipped: N" after each project's run.
  awk '
    /^ +Passed: +[0-9]+$/ { p += $2 }
    /^ +Failed: +[0-9]+$/ { f += $2 }
    /^ +Skipped: +[0-9]+$/ { s += $2 }
    END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s; if (p + f == 0) exit 3 }
  ' "$log" || { echo "No test ran." >&2; status=1; }
  rm -f "$log"
  return "$status"
}

bench() {
  dotnet run -c Release --project tests/RegistryCredentials.Benchmarks -- "$@"
}

pack() {
  build
  dotnet pack RegistryCredentials.sln --no-build -c "$configuration" -o artifacts
}

# Native AOT needs a C toolchain (clang or gcc, and the linker) for the target; linux-x64 builds with Debian's clang.
# linux-arm64 on an x64 machine is a cross build: clang with --target=aarch64-linux-gnu, Debian's aarch64 binutils (the
# bfd linker), libc and libgcc for arm64 (installed here if missing, as the test prerequisites are).
cross_packages=(clang binutils-aarch64-linux-gnu gcc-aarch64-linux-gnu libc6-dev-arm64-cross)

aot_options() {
  local rid="$1"
  local host_arch
  host_arch=$(uname -m)
  if [ "$rid" = "linux-arm64" ] && [ "$host_arch" != "aarch64" ]; then
    local missing=()
    for package in "${cross_packages[@]}"; do
      dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
      echo "Installing the arm64 cross toolchain: ${missing[*]}" >&2
      local sudo=""
      [ "$(id -u)" -eq 0 ] || sudo="sudo"
      $sudo apt-get update -q >&2
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
    fi
    # The ILCompiler runs "clang" when it finds one, else gcc (which has no --target); Debian names it clang-<version>.
    local clang
    clang=$(command -v clang || ls /usr/bin/clang-[0-9]* 2>/dev/null | sort -V | tail -n 1)
    echo "-p:CppCompilerAndLinker=$clang"
  fi
}

publish() {
  local rids="${RIDS:-linux-x64}"
  for rid in $rids; do
    local output="artifacts/regcred/$rid"
    local options
    options=$(aot_options "$rid")
    rm -rf "$output"
    # shellcheck disable=SC2086 # options is empty or one word
    dotnet publish src/RegistryCredentials.Cli -c "$configuration" -r "$rid" -p:PublishAot=true $options -o "$output"
    # regcred-lookup, the small executable of the per-pull lookups, beside regcred (it hands every other command to it),
    # and docker-credential-regcred, the name Docker, Podman and skopeo run, as a symlink to it.
    # shellcheck disable=SC2086
    dotnet publish src/RegistryCredentials.Cli.Lookup -c "$configuration" -r "$rid" -p:PublishAot=true $options -o "$output"
    ln -sfn regcred-lookup "$output/docker-credential-regcred"
    # Debug symbols stay beside the binary only when asked for (REGCRED_KEEP_SYMBOLS=1).
    [ "${REGCRED_KEEP_SYMBOLS:-0}" = "1" ] || rm -f "$output"/*.dbg
    rm -f "$output"/*.xml "$output"/*.pdb
    echo "published $output: $(ls "$output" | tr '\n' ' ')"
  done
}

bench_cli() {
  local missing=()
  for package in hyperfine time amazon-ecr-credential-helper; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
  [ -x artifacts/regcred/linux-x64/regcred ] && [ -x artifacts/regcred/linux-x64/regcred-lookup ] || RIDS=linux-x64 publish
  tests/bench-cli/bench-cli.sh "$@"
}

command="${1:-build}"
shift || true
case "$command" in
  restore) restore ;;
  build) build ;;
  test) run_tests ;;
  bench) bench "$@" ;;
  pack) pack ;;
  publish) publish ;;
  bench-cli) bench_cli "$@" ;;
  *) echo "usage: $0 {restore|build|test|bench|pack|publish|bench-cli}" >&2; exit 2 ;;
esac
