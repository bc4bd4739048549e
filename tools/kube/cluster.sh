#!/usr/bin/env bash
# A local Kubernetes cluster for development and the end-to-end tests.
#   up          etcd + kube-apiserver + kube-controller-manager on 127.0.0.1; no kubelet, so pods
#               are created but never run.
#   up --node   a real single node as well (node.sh): containerd 2.x + runc, kubelet, kube-proxy,
#               kube-scheduler, CoreDNS, cert-manager's controller and a volume provisioner; the
#               API server then listens on the node's bridge address (10.244.0.1) instead of
#               loopback, so that pods reach it.
#
# Usage: tools/kube/cluster.sh up [--node]|down [--purge]|status|env|load TAR...
#   up       build the binaries if needed (tools/kube/build.sh, build-node.sh), generate
#            certificates, start the processes and wait until they answer (with --node: until the
#            node is Ready and CoreDNS answers). Does nothing if already up in the same mode.
#   down     stop every process, container and mount it started and remove the node's network
#            (idempotent); --purge also deletes data, certificates, images and logs.
#   status   show which processes run and whether the API server answers.
#   env      print shell exports: eval "$(tools/kube/cluster.sh env)"
#   load     import image archives (docker save / OCI format) into the node's containerd.
#
# Environment: FLOE_CLUSTER_DIR (state, default ~/.cache/floe/cluster), KUBE_API_TEST_DIR (where
# build.sh puts binaries), FLOE_NODE_BIN (where build-node.sh puts its binaries), FLOE_ETCD_PORT
# (12379; peer port is +1), FLOE_APISERVER_PORT (16443), FLOE_KCM_PORT (10257), FLOE_SHARED_DIR
# (the shared test data, for cert-manager's CRDs; default ../shared beside the repository).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
state="${FLOE_CLUSTER_DIR:-$HOME/.cache/floe/cluster}"
etcd_port="${FLOE_ETCD_PORT:-12379}"
etcd_peer_port=$((etcd_port + 1))
api_port="${FLOE_APISERVER_PORT:-16443}"
kcm_port="${FLOE_KCM_PORT:-10257}"
pki="$state/pki"
logs="$state/logs"
run="$state/run"
kubeconfig="$state/kubeconfig"
components=(etcd kube-apiserver kube-controller-manager)
shared_dir="${FLOE_SHARED_DIR:-$(cd "$here/../../.." && pwd)/shared}"
# shellcheck source=node.sh
source "$here/node.sh"
mode_file="$state/mode"
mode() { cat "$mode_file" 2>/dev/null || echo control-plane; }
api_host() { [[ "$(mode)" == node ]] && echo "$node_ip" || echo 127.0.0.1; }
all_components() {
  if [[ "$(mode)" == node ]]; then echo "${components[@]}" "${node_components[@]}"; else echo "${components[@]}"; fi
}

die() { echo "cluster.sh: $*" >&2; exit 1; }

bin_dir() {
  # build.sh prints the binary directory on its last line; with a warm cache it takes a second.
  "$here/build.sh" | tail -n 1
}

pid_of() {
  # Prints the pid of a running component that we started (checked against its command line).
  local name=$1 pid
  [[ -f "$run/$name.pid" ]] || return 1
  pid="$(cat "$run/$name.pid")"
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- "/$name " || return 1
  echo "$pid"
}

port_free() { ! ss -Htln "sport = :$1" | grep -q .; }

wait_for() {
  # wait_for <seconds> <description> <command...>
  local secs=$1 what=$2; shift 2
  local deadline=$((SECONDS + secs))
  local name
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "timed out after ${secs}s waiting for $what (logs: $logs)"
    for name in $(all_components); do
      if [[ -f "$run/$name.pid" ]] && ! pid_of "$name" >/dev/null; then
        tail -n 5 "$logs/$name.log" >&2
        die "$name exited while waiting for $what (log: $logs/$name.log)"
      fi
    done
    sleep 0.5
  done
}

gen_certs() {
  mkdir -p "$pki"
  cd "$pki"
  [[ -f ca.crt ]] || openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -keyout ca.key -out ca.crt \
    -subj "/CN=floe-local-ca" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" 2>/dev/null
  [[ -f sa.key ]] || { openssl genrsa -out sa.key 2048 2>/dev/null && openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null; }
  leaf apiserver "/CN=kube-apiserver" \
    "subjectAltName=IP:127.0.0.1,IP:10.0.0.1,IP:$node_ip,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local" \
    serverAuth
  leaf admin "/O=system:masters/CN=floe-admin" "" clientAuth
  leaf controller-manager "/CN=system:kube-controller-manager" "" clientAuth
  chmod 600 ./*.key
  cd - >/dev/null
}

leaf() {
  # leaf <name> <subject> <extra extension or ""> <serverAuth|clientAuth>
  local name=$1 subject=$2 san=$3 usage=$4
  [[ -f "$name.crt" ]] && return 0
  local ext="basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=$usage\n"
  [[ -n "$san" ]] && ext+="$san\n"
  openssl req -newkey rsa:2048 -nodes -keyout "$name.key" -out "$name.csr" -subj "$subject" 2>/dev/null
  openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 \
    -extfile <(printf "%b" "$ext") -out "$name.crt" 2>/dev/null
  rm -f "$name.csr"
}

write_kubeconfig() {
  # write_kubeconfig <file> <cert name> <user>
  local file=$1 cert=$2 user=$3 kubectl=$4
  rm -f "$file"
  KUBECONFIG="$file" "$kubectl" config set-cluster floe --server="https://$(api_host):$api_port" \
    --certificate-authority="$pki/ca.crt" --embed-certs=true >/dev/null
  KUBECONFIG="$file" "$kubectl" config set-credentials "$user" --client-certificate="$pki/$cert.crt" \
    --client-key="$pki/$cert.key" --embed-certs=true >/dev/null
  KUBECONFIG="$file" "$kubectl" config set-context floe --cluster=floe --user="$user" >/dev/null
  KUBECONFIG="$file" "$kubectl" config use-context floe >/dev/null
  chmod 600 "$file"
}

start() {
  # start <name> <binary> <args...>: runs detached, output to logs/<name>.log, pid to run/<name>.pid
  local name=$1 binary=$2; shift 2
  setsid "$binary" "$@" >>"$logs/$name.log" 2>&1 < /dev/null &
  echo $! > "$run/$name.pid"
}

up() {
  local want_mode=$1 bins; bins="$(bin_dir)"
  [[ -x "$bins/kube-apiserver" ]] || die "binaries missing in $bins"
  if pid_of kube-apiserver >/dev/null && [[ "$(mode)" != "$want_mode" ]]; then
    die "the cluster is up in $(mode) mode; run 'cluster.sh down' first"
  fi
  mkdir -p "$logs" "$run" "$state/etcd"
  echo "$want_mode" > "$mode_file"
  local name
  for name in $(all_components); do pid_of "$name" >/dev/null || rm -f "$run/$name.pid"; done
  gen_certs
  # Rewritten on every start: the API server's address depends on the mode.
  write_kubeconfig "$kubeconfig" admin floe-admin "$bins/kubectl"
  write_kubeconfig "$state/controller-manager.kubeconfig" controller-manager system:kube-controller-manager "$bins/kubectl"
  [[ "$want_mode" == node ]] && node_network_up
  local address_flags=(--bind-address=127.0.0.1 --advertise-address=127.0.0.1 --endpoint-reconciler-type=none)
  # With a node, the API server listens on the bridge so pods reach it through the kubernetes
  # Service; its endpoints reconciler then publishes that address (it rejects loopback).
  [[ "$want_mode" == node ]] && address_flags=(--bind-address="$node_ip" --advertise-address="$node_ip"
    --kubelet-client-certificate="$pki/apiserver-kubelet-client.crt"
    --kubelet-client-key="$pki/apiserver-kubelet-client.key"
    --kubelet-certificate-authority="$pki/ca.crt" --kubelet-preferred-address-types=InternalIP
    --enable-admission-plugins=NodeRestriction)
  [[ "$want_mode" == node ]] && node_certs

  if ! pid_of etcd >/dev/null; then
    port_free "$etcd_port" && port_free "$etcd_peer_port" || die "port $etcd_port or $etcd_peer_port is in use (set FLOE_ETCD_PORT)"
    start etcd "$bins/etcd" --name floe --data-dir "$state/etcd" \
      --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
      --listen-peer-urls "http://127.0.0.1:$etcd_peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer_port" \
      --initial-cluster "floe=http://127.0.0.1:$etcd_peer_port" \
      --unsafe-no-fsync --quota-backend-bytes=$((2 * 1024 * 1024 * 1024))
  fi
  wait_for 30 etcd curl -fsS "http://127.0.0.1:$etcd_port/health"

  if ! pid_of kube-apiserver >/dev/null; then
    port_free "$api_port" || die "port $api_port is in use (set FLOE_APISERVER_PORT)"
    # Without a node: advertise loopback and skip the endpoints reconciler (it rejects loopback).
    start kube-apiserver "$bins/kube-apiserver" "${address_flags[@]}" --secure-port="$api_port" \
      --etcd-servers="http://127.0.0.1:$etcd_port" \
      --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" \
      --client-ca-file="$pki/ca.crt" --authorization-mode=Node,RBAC \
      --service-account-issuer=https://kubernetes.default.svc.cluster.local \
      --service-account-key-file="$pki/sa.pub" --service-account-signing-key-file="$pki/sa.key" \
      --service-cluster-ip-range=10.0.0.0/24 --allow-privileged=true --profiling=false
  fi
  # /readyz includes the RBAC bootstrap hook: before it, the controller-manager's role bindings
  # are missing and it exits.
  wait_for 60 "kube-apiserver /readyz" "$bins/kubectl" --kubeconfig "$kubeconfig" get --raw /readyz
  wait_for 10 "kubectl get ns" "$bins/kubectl" --kubeconfig "$kubeconfig" get ns

  if ! pid_of kube-controller-manager >/dev/null; then
    port_free "$kcm_port" || die "port $kcm_port is in use (set FLOE_KCM_PORT)"
    # "*" = every controller that is on by default. Kubernetes 1.37 no longer ships the cloud
    # controllers (service-lb, node-route, cloud-node-lifecycle) in kube-controller-manager, so
    # there is nothing to exclude; node-ipam stays idle without --allocate-node-cidrs.
    start kube-controller-manager "$bins/kube-controller-manager" \
      --kubeconfig="$state/controller-manager.kubeconfig" \
      --authentication-kubeconfig="$state/controller-manager.kubeconfig" \
      --authorization-kubeconfig="$state/controller-manager.kubeconfig" \
      --bind-address=127.0.0.1 --secure-port="$kcm_port" --leader-elect=false \
      --controllers='*' \
      --use-service-account-credentials=true \
      --service-account-private-key-file="$pki/sa.key" --root-ca-file="$pki/ca.crt" \
      --cluster-signing-cert-file="$pki/ca.crt" --cluster-signing-key-file="$pki/ca.key" \
      --cluster-name=floe --profiling=false
  fi
  wait_for 60 kube-controller-manager curl -fsSk "https://127.0.0.1:$kcm_port/healthz"
  [[ "$want_mode" == node ]] && node_up "$bins"

  echo "cluster up ($want_mode); kubeconfig: $kubeconfig"
  echo "  export KUBECONFIG=$kubeconfig PATH=$bins:\$PATH"
}

stop_component() {
  local name=$1 pid
  if pid="$(pid_of "$name")"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do [[ -d "/proc/$pid" ]] || break; sleep 0.25; done
    [[ -d "/proc/$pid" ]] && kill -KILL "$pid" 2>/dev/null || true
    echo "stopped $name ($pid)"
  fi
  rm -f "$run/$name.pid"
}

down() {
  local i
  # The node goes first (even if the mode file is gone), so no pod outlives its control plane.
  if [[ "$(mode)" == node || -f "$run/containerd.pid" || -f "$run/kubelet.pid" ]]; then
    node_down "$(bin_dir)"
  fi
  for ((i = ${#components[@]} - 1; i >= 0; i--)); do stop_component "${components[i]}"; done
  if [[ "${1:-}" == "--purge" ]]; then
    rm -rf "$state/etcd" "$pki" "$logs" "$run" "$kubeconfig" "$state"/*.kubeconfig "$mode_file" \
      "$containerd_dir" "$state/kubelet" "$state/kube-proxy" "$state/coredns" "$state/cni" "$state/volumes"
    rmdir "$state" 2>/dev/null || true
    echo "purged $state"
  fi
}

status() {
  local name pid rc=0
  for name in $(all_components); do
    if pid="$(pid_of "$name")"; then echo "$name: running (pid $pid)"; else echo "$name: stopped"; rc=1; fi
  done
  if [[ -f "$kubeconfig" ]] && [[ -x "$(bin_dir)/kubectl" ]] \
    && "$(bin_dir)/kubectl" --kubeconfig "$kubeconfig" get --raw /readyz >/dev/null 2>&1; then
    echo "api server: ready at https://$(api_host):$api_port (KUBECONFIG=$kubeconfig)"
  else
    echo "api server: not answering"; rc=1
  fi
  return $rc
}

case "${1:-}" in
  up) if [[ "${2:-}" == --node ]]; then up node; else up control-plane; fi ;;
  down) down "${2:-}" ;;
  load) shift; [[ "$(mode)" == node ]] && pid_of containerd >/dev/null || die "no node running (cluster.sh up --node)"
        node_load "$@" ;;
  status) status ;;
  env) echo "export KUBECONFIG=$kubeconfig"; echo "export PATH=$(bin_dir):\$PATH" ;;
  *) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
