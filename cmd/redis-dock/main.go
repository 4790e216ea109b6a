// Command redis-dock runs Redis Clusters on Docker.
package main

import (
	"os"

	"github.com/redis-dock/redis-dock/internal/app"
)

func main() {
	os.Exit(app.Run(os.Args[1:]))
}
