# shellcheck shell=bash
# The node half of tools/kube/cluster.sh (sourced by it, not run on its own): a real single-node
# Kubernetes cluster on this machine. Besides the control plane it runs containerd 2.x with runc,
# kubelet, kube-proxy, kube-scheduler, CoreDNS, cert-manager's controller and a hostPath volume
# provisioner, all as host processes managed like the control plane (pid files, logs, state under
# $state). Pods get their own network namespaces on the bridge floe0; nothing binds beyond
# loopback and that bridge, and pods cannot reach past it.

node_name="${FLOE_NODE_NAME:-floe-node}"
node_ip="${FLOE_NODE_IP:-10.244.0.1}"      # the bridge's address: API server, kubelet, DNS
pod_cidr="${FLOE_POD_CIDR:-10.244.0.0/24}"
service_cidr=10.0.0.0/24                   # as in control-plane mode; 10.0.0.1 is the API server
bridge=floe0
kubelet_port="${FLOE_KUBELET_PORT:-10250}"
scheduler_port="${FLOE_SCHEDULER_PORT:-10259}"
sandbox_image=floe.local/pause:3.10.2
node_bin="${FLOE_NODE_BIN:-$HOME/.cache/floe/node/bin}"
containerd_dir="$state/containerd"
containerd_sock="$containerd_dir/containerd.sock"
node_components=(containerd kubelet kube-proxy kube-scheduler coredns cert-manager-controller hostpath-provisioner)

node_packages() {
  # runc, the CNI plugins, iptables and conntrack come from Debian; install what is missing.
  local missing=()
  command -v runc >/dev/null || missing+=(runc)
  [[ -x /usr/lib/cni/bridge ]] || missing+=(containernetworking-plugins)
  command -v iptables >/dev/null || missing+=(iptables)
  command -v conntrack >/dev/null || missing+=(conntrack)
  command -v gcc >/dev/null || missing+=(gcc libc6-dev)
  if ((${#missing[@]})); then
    echo "installing Debian packages: ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

node_network_up() {
  # The bridge exists before the API server starts, because the API server binds its address.
  ip link show "$bridge" >/dev/null 2>&1 || ip link add "$bridge" type bridge
  ip addr show dev "$bridge" | grep -q " $node_ip/" || ip addr add "$node_ip/${pod_cidr#*/}" dev "$bridge"
  ip link set "$bridge" up
  # Service IPs that kube-proxy did not translate go to the bridge, where nothing answers for
  # them, instead of the default route: nothing addressed to the service range leaves the machine.
  ip route replace "$service_cidr" dev "$bridge" src "$node_ip"
  [[ -f "$run/sysctl.saved" ]] || {
    echo "net.ipv4.ip_forward=$(sysctl -n net.ipv4.ip_forward)" > "$run/sysctl.saved"
    echo "net.bridge.bridge-nf-call-iptables=$(sysctl -n net.bridge.bridge-nf-call-iptables)" >> "$run/sysctl.saved"
  }
  sysctl -qw net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1
  # Pods talk to each other, to the node's address and to services; forwarding anywhere else is
  # dropped, so no pod reaches past this machine. Service addresses are left to kube-proxy's own
  # chains further down FORWARD: it rejects connections to a service without endpoints at once,
  # where accepting them here would leave clients waiting for a connect timeout.
  iptables -N FLOE-NODE 2>/dev/null || iptables -F FLOE-NODE
  iptables -A FLOE-NODE -d "$service_cidr" -j RETURN
  iptables -A FLOE-NODE -s "$pod_cidr" -o "$bridge" -j ACCEPT
  iptables -A FLOE-NODE -s "$pod_cidr" -j DROP
  iptables -A FLOE-NODE -d "$pod_cidr" -i "$bridge" -j ACCEPT
  iptables -C FORWARD -j FLOE-NODE 2>/dev/null || iptables -I FORWARD 1 -j FLOE-NODE
  mkdir -p "$state/cni/net.d" "$state/cni/ipam"
  cat > "$state/cni/net.d/10-floe.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "floe",
  "plugins": [
    {"type": "bridge", "bridge": "$bridge", "isGateway": true, "ipMasq": false, "hairpinMode": true,
     "ipam": {"type": "host-local", "dataDir": "$state/cni/ipam",
              "ranges": [[{"subnet": "$pod_cidr", "gateway": "$node_ip"}]],
              "routes": [{"dst": "0.0.0.0/0"}]}},
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
}

node_network_down() {
  iptables -D FORWARD -j FLOE-NODE 2>/dev/null || true
  iptables -F FLOE-NODE 2>/dev/null || true
  iptables -X FLOE-NODE 2>/dev/null || true
  ip link del "$bridge" 2>/dev/null || true
  if [[ -f "$run/sysctl.saved" ]]; then
    sysctl -qw $(cat "$run/sysctl.saved") || true
    rm -f "$run/sysctl.saved"
  fi
}

node_certs() {
  cd "$pki"
  leaf kubelet "/O=system:nodes/CN=system:node:$node_name" "" clientAuth
  leaf kubelet-serving "/CN=$node_name" "subjectAltName=IP:$node_ip,DNS:$node_name" serverAuth
  leaf apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" "" clientAuth
  leaf kube-proxy "/CN=system:kube-proxy" "" clientAuth
  leaf kube-scheduler "/CN=system:kube-scheduler" "" clientAuth
  chmod 600 ./*.key
  cd - >/dev/null
}

pause_image() {
  # Kubernetes' own pause.c, linked statically, packed as a one-layer image (no registry here).
  local tar="$node_bin/pause-3.10.2.tar" src
  [[ -f "$tar" ]] && { echo "$tar"; return; }
  src="$(cd "$here/k8s" && go list -m -f '{{.Dir}}' k8s.io/kubernetes)/build/pause/linux/pause.c"
  gcc -Os -static -DVERSION=3.10.2 -o "$node_bin/pause" "$src"
  python3 "$here/pause-image.py" "$node_bin/pause" "$sandbox_image" "$tar.tmp" && mv "$tar.tmp" "$tar"
  echo "$tar"
}

containerd_config() {
  mkdir -p "$containerd_dir"
  cat > "$containerd_dir/config.toml" <<EOF
version = 3
root = "$containerd_dir/root"
state = "$containerd_dir/state"
[grpc]
  address = "$containerd_sock"
[ttrpc]
  address = "$containerd_sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins.'io.containerd.cri.v1.images']
  snapshotter = "overlayfs"
  [plugins.'io.containerd.cri.v1.images'.pinned_images]
    sandbox = "$sandbox_image"
[plugins.'io.containerd.cri.v1.runtime']
  # This machine withholds CAP_SYS_RESOURCE even from root, so no process may lower its
  # oom_score_adj below its parent's (runc failed with "failed to update /proc/self/oom_score_adj").
  restrict_oom_score_adj = true
  [plugins.'io.containerd.cri.v1.runtime'.containerd]
    default_runtime_name = "runc"
    [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
        BinaryName = "$(command -v runc)"
        SystemdCgroup = false
  [plugins.'io.containerd.cri.v1.runtime'.cni]
    bin_dirs = ["/usr/lib/cni"]
    conf_dir = "$state/cni/net.d"
[plugins.'io.containerd.grpc.v1.cri']
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
EOF
}

kubelet_config() {
  mkdir -p "$state/kubelet"
  : > "$state/kubelet/resolv.conf"   # pods get cluster DNS only, never the host's resolvers
  cat > "$state/kubelet/config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
# This machine mounts cgroup v1 controllers plus a cgroup2 mount (hybrid); kubelet >= 1.35 refuses
# cgroup v1 unless told otherwise.
failCgroupV1: false
cgroupDriver: cgroupfs
containerRuntimeEndpoint: unix://$containerd_sock
address: $node_ip
port: $kubelet_port
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
tlsCertFile: $pki/kubelet-serving.crt
tlsPrivateKeyFile: $pki/kubelet-serving.key
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $pki/ca.crt}
authorization: {mode: Webhook}
clusterDomain: cluster.local
clusterDNS: [$node_ip]
resolvConf: $state/kubelet/resolv.conf
podCIDR: $pod_cidr
failSwapOn: false
serializeImagePulls: false
imageGCHighThresholdPercent: 100
evictionHard: {memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1%}
containerLogMaxSize: 10Mi
# How often each pod is synced, and so how soon a changed Secret or ConfigMap reaches its mounted
# volume (the default, 1m, made the suite's certificate renewal wait about 80 s for the kubelet).
syncFrequency: 10s
EOF
}

kube_proxy_config() {
  mkdir -p "$state/kube-proxy"
  cat > "$state/kube-proxy/config.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $state/kube-proxy.kubeconfig}
mode: iptables
hostnameOverride: $node_name
clusterCIDR: $pod_cidr
bindAddress: $node_ip
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
nodePortAddresses: ["$node_ip/32"]
iptables: {localhostNodePorts: false}
conntrack: {maxPerCore: 0}
EOF
}

coredns_config() {
  mkdir -p "$state/coredns"
  # cluster.local from the API server; every other name is answered NXDOMAIN, because this
  # machine has no upstream resolver that pods may use.
  cat > "$state/coredns/Corefile" <<EOF
cluster.local:53 in-addr.arpa:53 ip6.arpa:53 {
    bind $node_ip
    errors
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        kubeconfig $state/kubeconfig floe
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
    }
    cache 5
}
.:53 {
    bind $node_ip
    health 127.0.0.1:18080
    template ANY ANY {
        rcode NXDOMAIN
    }
}
EOF
}

node_up() {
  local bins=$1
  node_packages
  "$here/build-node.sh" >/dev/null
  mkdir -p "$state/volumes"
  node_certs
  write_kubeconfig "$state/kubelet.kubeconfig" kubelet "system:node:$node_name" "$bins/kubectl"
  write_kubeconfig "$state/kube-proxy.kubeconfig" kube-proxy system:kube-proxy "$bins/kubectl"
  write_kubeconfig "$state/kube-scheduler.kubeconfig" kube-scheduler system:kube-scheduler "$bins/kubectl"

  if ! pid_of kube-scheduler >/dev/null; then
    port_free "$scheduler_port" || die "port $scheduler_port is in use (set FLOE_SCHEDULER_PORT)"
    start kube-scheduler "$bins/kube-scheduler" --kubeconfig="$state/kube-scheduler.kubeconfig" \
      --authentication-kubeconfig="$state/kube-scheduler.kubeconfig" \
      --authorization-kubeconfig="$state/kube-scheduler.kubeconfig" \
      --bind-address=127.0.0.1 --secure-port="$scheduler_port" --leader-elect=false --profiling=false
  fi

  if ! pid_of containerd >/dev/null; then
    containerd_config
    start containerd "$node_bin/containerd" --config "$containerd_dir/config.toml"
  fi
  wait_for 30 containerd "$node_bin/ctr" --address "$containerd_sock" version
  "$node_bin/ctr" --address "$containerd_sock" -n k8s.io images ls -q | grep -qx "$sandbox_image" \
    || "$node_bin/ctr" --address "$containerd_sock" -n k8s.io images import --no-unpack "$(pause_image)" >/dev/null

  if ! pid_of kubelet >/dev/null; then
    kubelet_config
    start kubelet "$bins/kubelet" --config="$state/kubelet/config.yaml" \
      --kubeconfig="$state/kubelet.kubeconfig" --root-dir="$state/kubelet/root" \
      --hostname-override="$node_name" --node-ip="$node_ip"
  fi
  if ! pid_of kube-proxy >/dev/null; then
    kube_proxy_config
    start kube-proxy "$bins/kube-proxy" --config="$state/kube-proxy/config.yaml"
  fi
  if ! pid_of coredns >/dev/null; then
    coredns_config
    start coredns "$node_bin/coredns" -conf "$state/coredns/Corefile"
  fi

  # cert-manager's CRDs (the same files the operator tests use), then its controller.
  local kc=("$bins/kubectl" --kubeconfig "$kubeconfig")
  "${kc[@]}" apply --server-side -f "$shared_dir/testdata/cert-manager/" >/dev/null
  "${kc[@]}" create namespace cert-manager --dry-run=client -o yaml | "${kc[@]}" apply -f - >/dev/null
  pid_of cert-manager-controller >/dev/null \
    || start cert-manager-controller "$node_bin/cert-manager-controller" --kubeconfig "$kubeconfig"
  pid_of hostpath-provisioner >/dev/null \
    || start hostpath-provisioner "$node_bin/hostpath-provisioner" --kubeconfig "$kubeconfig" \
      --base-dir "$state/volumes" --node-name "$node_name"
  "${kc[@]}" apply -f - >/dev/null <<EOF
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: floe.dev/hostpath
reclaimPolicy: Delete
volumeBindingMode: WaitForFirstConsumer
EOF

  wait_for 90 "node $node_name Ready" "${kc[@]}" wait --for=condition=Ready "node/$node_name" --timeout=1s
  wait_for 30 "CoreDNS" curl -fsS http://127.0.0.1:18080/health
}

node_load() {
  # node_load <image tarball>...: import into containerd's Kubernetes namespace.
  local tar
  for tar in "$@"; do
    [[ -f "$tar" ]] || die "no such image archive: $tar"
    "$node_bin/ctr" --address "$containerd_sock" -n k8s.io images import "$tar"
  done
}

node_down() {
  local bins=$1 id pid
  # kubelet first, so it restarts nothing; then every container and sandbox, so no shim or
  # container outlives containerd.
  stop_component kubelet
  if pid_of containerd >/dev/null; then
    local ctr=("$node_bin/ctr" --address "$containerd_sock" -n k8s.io)
    for id in $("${ctr[@]}" tasks ls -q 2>/dev/null); do
      "${ctr[@]}" tasks kill -s SIGKILL "$id" >/dev/null 2>&1 || true
    done
    for id in $("${ctr[@]}" tasks ls -q 2>/dev/null); do
      "${ctr[@]}" tasks delete -f "$id" >/dev/null 2>&1 || true
    done
    for id in $("${ctr[@]}" containers ls -q 2>/dev/null); do
      "${ctr[@]}" containers delete "$id" >/dev/null 2>&1 || true
    done
  fi
  local name
  for name in hostpath-provisioner cert-manager-controller coredns kube-proxy kube-scheduler containerd; do
    stop_component "$name"
  done
  # Shims whose containerd is gone (a crash, a kill -9) are ours if they run our shim binary.
  for pid in $(pgrep -f "^$node_bin/containerd-shim-runc-v2" || true); do kill -KILL "$pid" 2>/dev/null || true; done
  [[ -x "$bins/kube-proxy" ]] && "$bins/kube-proxy" --cleanup >/dev/null 2>&1 || true
  # Mounts left by pods (projected volumes, shm) and containerd (overlay snapshots, netns).
  local mnt
  for mnt in $(awk -v p="$state/" 'index($2, p) == 1 {print $2}' /proc/self/mounts | sort -r); do
    umount -l "$mnt" 2>/dev/null || true
  done
  for mnt in $(awk '$2 ~ /^\/(var\/)?run\/netns\/cni-/ {print $2}' /proc/self/mounts); do
    umount -l "$mnt" 2>/dev/null || true; rm -f "$mnt"
  done
  node_network_down
}
