// Command etcd is upstream's etcd server (go.etcd.io/etcd/server/v3/etcdmain), built in this
// wrapper module because the module that holds upstream's own main package (go.etcd.io/etcd/v3)
// replaces its siblings with local paths, which go ignores outside that repository.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
