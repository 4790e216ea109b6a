// Package clitest runs the built redis-dock binary as a user would, against
// the real engine: commands, their output and their exit codes. It holds
// only tests.
package clitest
