// Command etcd is the etcd server built from the pinned go.etcd.io/etcd/server/v3 module; it
// mirrors etcd's own main.go (the root module go.etcd.io/etcd/v3 uses path replaces and cannot be
// built with `go install`).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
