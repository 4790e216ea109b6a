package swarm

import (
	"io"

	"github.com/redis-dock/redis-dock/internal/docker"
	"github.com/redis-dock/redis-dock/internal/nodeagent"
	"github.com/redis-dock/redis-dock/internal/stackplan"
	"github.com/redis-dock/redis-dock/internal/status"
)

// The names below are this package's for what its functions take and
// return, so that a program outside this module can name and make them
// (as redisdock.Spec names the spec). Each is the module's own type.
type (
	// Docker is a connection to a Docker engine (a Swarm manager for Up);
	// Connect makes one.
	Docker = docker.Client
	// Logger writes the status lines of a call; NewLogger makes one.
	Logger = status.Logger
	// Plan is a cluster planned as a stack: its spec, subnet and nodes with
	// their base configs; NewPlan makes one.
	Plan = stackplan.Plan
	// Report is what a check from inside the overlay found: health, and
	// every node's role, master and slots.
	Report = nodeagent.Report
	// NodeReport is one node of a Report.
	NodeReport = nodeagent.NodeReport
	// ServiceState is one service of a stack and its tasks.
	ServiceState = docker.ServiceState
	// Removed counts what Down removed.
	Removed = docker.StackRemoved
)

// Connect connects to the engine the environment names (DOCKER_HOST
// etc.), negotiating the API version; close it when done.
func Connect() (*Docker, error) { return docker.New() }

// NewLogger writes status lines to w; verbosity 1 and 2 add details, a
// negative verbosity shows warnings only.
func NewLogger(w io.Writer, verbosity int) *Logger {
	return status.NewLogger(w, max(verbosity, 0), verbosity < 0)
}

// NewPlan validates s and plans its stack on s.Subnet (or a default
// overlay subnet), for WriteFiles, Render and Project.
func NewPlan(s Spec) (*Plan, error) { return stackplan.FromSpec(s, false) }
