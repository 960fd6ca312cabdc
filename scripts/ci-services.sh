#!/usr/bin/env bash
# Starts what the launcher and observer tests need, installing it from Debian's packages when absent (as
# root): a Docker engine (images are built locally: there is no registry) and PostgreSQL with a `pushcheck`
# role that may create databases; and a CJK font for the HTML report's test. Every wait is bounded; a
# service that does not come up is reported, and the tests that need it then say so.
set -uo pipefail

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }

wait_for() { # wait_for SECONDS COMMAND...: true once COMMAND succeeds
  local until=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do [ "$SECONDS" -ge "$until" ] && return 1; sleep 1; done
}

need_apt=()
command -v dockerd >/dev/null 2>&1 || need_apt+=(docker.io)
command -v pg_ctlcluster >/dev/null 2>&1 || need_apt+=(postgresql)
# The HTML report's test renders the vendors' Chinese quotes: without a CJK font Chromium draws empty boxes.
fc-list :lang=zh 2>/dev/null | grep -q . || need_apt+=(fonts-noto-cjk)
if [ "${#need_apt[@]}" -gt 0 ]; then
  echo "installing ${need_apt[*]} from Debian's packages"
  as_root timeout 600 apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive as_root timeout 900 apt-get install -y -qq "${need_apt[@]}" >/dev/null ||
    echo "could not install ${need_apt[*]}"
fi

if ! docker info >/dev/null 2>&1 && command -v dockerd >/dev/null 2>&1; then
  echo "starting dockerd (log: /tmp/dockerd.log)"
  as_root sh -c 'nohup dockerd >/tmp/dockerd.log 2>&1 &'
  wait_for 60 docker info || echo "dockerd did not answer within 60 s; see /tmp/dockerd.log"
fi
docker info >/dev/null 2>&1 && echo "docker: $(docker version --format '{{.Server.Version}}')"

if command -v pg_lsclusters >/dev/null 2>&1; then
  cluster=$(pg_lsclusters --no-header | head -n 1)
  if [ -z "$cluster" ]; then
    version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
    as_root pg_createcluster "$version" main >/dev/null
    cluster=$(pg_lsclusters --no-header | head -n 1)
  fi
  read -r version name port status _ <<<"$cluster"
  if [ "$status" != online ]; then
    echo "starting PostgreSQL $version/$name"
    as_root timeout 60 pg_ctlcluster "$version" "$name" start
  fi
  psql_admin() { as_root runuser -u postgres -- psql -p "$port" -qAt "$@"; }
  if wait_for 30 psql_admin -c 'select 1'; then
    [ "$(psql_admin -c "select 1 from pg_roles where rolname='pushcheck'")" = 1 ] ||
      psql_admin -c "create role pushcheck login createdb password 'pushcheck'"
    [ "$(psql_admin -c "select 1 from pg_database where datname='pushcheck'")" = 1 ] ||
      psql_admin -c "create database pushcheck owner pushcheck"
    echo "postgresql: postgresql://pushcheck@127.0.0.1:$port/pushcheck"
  else
    echo "PostgreSQL did not answer within 30 s"
  fi
fi
exit 0
