// Command hostpath-provisioner provisions PersistentVolumes as directories on the local node, for
// the single-node development cluster of tools/kube (cluster.sh up --node).
//
// Kubernetes' in-tree hostPath provisioner (kube-controller-manager --enable-hostpath-provisioner)
// creates root-owned 0750 directories under /tmp, and kubelet applies no fsGroup to hostPath
// volumes, so a pod running as a non-root user (as Floe's catalog does) cannot write to them. This
// provisioner, built on sig-storage-lib-external-provisioner like Rancher's local-path-provisioner,
// creates each volume's directory under --base-dir with mode 0777 (the same default as
// local-path-provisioner's setup script) and removes it when a Delete-policy PV is released.
// Retain-policy volumes keep their directory.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/sig-storage-lib-external-provisioner/v13/controller"
)

const name = "floe.dev/hostpath"

type hostPathProvisioner struct {
	baseDir  string
	nodeName string
}

func (p *hostPathProvisioner) Provision(_ context.Context, options controller.ProvisionOptions) (*v1.PersistentVolume, controller.ProvisioningState, error) {
	if options.PVC.Spec.VolumeMode != nil && *options.PVC.Spec.VolumeMode == v1.PersistentVolumeBlock {
		return nil, controller.ProvisioningFinished, errors.New("block volumes are not supported")
	}
	dir := filepath.Join(p.baseDir, options.PVC.Namespace+"_"+options.PVC.Name+"_"+options.PVName)
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return nil, controller.ProvisioningInBackground, err
	}
	// MkdirAll's mode is filtered by the umask; the directory must be writable by any pod user.
	if err := os.Chmod(dir, 0o777); err != nil {
		return nil, controller.ProvisioningInBackground, err
	}
	hostPathType := v1.HostPathDirectory
	return &v1.PersistentVolume{
		ObjectMeta: metav1.ObjectMeta{Name: options.PVName},
		Spec: v1.PersistentVolumeSpec{
			PersistentVolumeReclaimPolicy: *options.StorageClass.ReclaimPolicy,
			AccessModes:                   options.PVC.Spec.AccessModes,
			Capacity:                      v1.ResourceList{v1.ResourceStorage: options.PVC.Spec.Resources.Requests[v1.ResourceStorage]},
			PersistentVolumeSource: v1.PersistentVolumeSource{
				HostPath: &v1.HostPathVolumeSource{Path: dir, Type: &hostPathType},
			},
			NodeAffinity: &v1.VolumeNodeAffinity{Required: &v1.NodeSelector{NodeSelectorTerms: []v1.NodeSelectorTerm{{
				MatchExpressions: []v1.NodeSelectorRequirement{{
					Key: "kubernetes.io/hostname", Operator: v1.NodeSelectorOpIn, Values: []string{p.nodeName},
				}},
			}}}},
		},
	}, controller.ProvisioningFinished, nil
}

func (p *hostPathProvisioner) Delete(_ context.Context, pv *v1.PersistentVolume) error {
	if pv.Spec.HostPath == nil {
		return &controller.IgnoredError{Reason: "not a hostPath volume"}
	}
	dir := filepath.Clean(pv.Spec.HostPath.Path)
	// Never remove anything outside the base directory, whatever a PV object says.
	if filepath.Dir(dir) != p.baseDir || !strings.Contains(filepath.Base(dir), "_") {
		return &controller.IgnoredError{Reason: fmt.Sprintf("%s is not a volume of %s", dir, p.baseDir)}
	}
	return os.RemoveAll(dir)
}

func main() {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig of the cluster")
	baseDir := flag.String("base-dir", "", "directory that holds the volumes")
	nodeName := flag.String("node-name", "", "the node the volumes are on")
	flag.Parse()
	if *baseDir == "" || *nodeName == "" {
		fmt.Fprintln(os.Stderr, "hostpath-provisioner: --base-dir and --node-name are required")
		os.Exit(2)
	}
	config, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err == nil {
		err = os.MkdirAll(*baseDir, 0o755)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "hostpath-provisioner:", err)
		os.Exit(1)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	provisioner := &hostPathProvisioner{baseDir: filepath.Clean(*baseDir), nodeName: *nodeName}
	controller.NewProvisionController(ctx, kubernetes.NewForConfigOrDie(config), name, provisioner,
		controller.LeaderElection(false)).Run(ctx)
}
