// Package engine gives commands that talk to the Docker engine their
// connection; it is apart from cmdutil so that the in-image commands,
// which use cmdutil, do not link the Docker SDK.
package engine

import (
	"github.com/spf13/cobra"

	"github.com/redis-dock/redis-dock/internal/docker"
)

// RunE is a cobra RunE given a Docker client.
type RunE func(cmd *cobra.Command, args []string, d *docker.Client) error

// Connected returns a cobra RunE that connects to the engine, runs run,
// and closes the client after.
func Connected(run RunE) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		d, err := docker.New()
		if err != nil {
			return err
		}
		defer d.Close()
		return run(cmd, args, d)
	}
}
