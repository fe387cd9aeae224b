#!/bin/sh
# Makes the base images of docker-compose.local.yml on a machine that reaches no image registry,
# from Debian's own packages: a minimal Debian (debootstrap), a Java 17 runtime on it, and a JDK
# with Maven for the build stage (RESHAPE_LOCAL_BASES names fewer: "jre prometheus" where the build
# stage takes prebuilt artifacts). Images that exist are kept; run as root with a Docker engine.
set -eu
suite=bookworm
base=reshape-local/base:$suite
here=$(cd "$(dirname "$0")" && pwd)

exists() { docker image inspect "$1" >/dev/null 2>&1; }

if ! exists "$base"; then
  root=$(mktemp -d)
  trap 'rm -rf "$root"' EXIT
  debootstrap --variant=minbase "$suite" "$root" >/dev/null
  tar -C "$root" -c . | docker import - "$base" >/dev/null
  rm -rf "$root"
  trap - EXIT
fi
for image in ${RESHAPE_LOCAL_BASES:-jre jdk prometheus}; do
  if ! exists "reshape-local/$image:$suite"; then
    docker build -q --network host --build-arg BASE_IMAGE="$base" -t "reshape-local/$image:$suite" \
      -f "$here/local/$image.Dockerfile" "$here/local" >/dev/null
  fi
done
docker image ls 'reshape-local/*'
