package docker

import "github.com/docker/docker/client"

// SDKForTest gives the external tests the SDK client, for the containers
// they make by hand that the narrow interface has no call for.
func SDKForTest(c *Client) *client.Client { return c.api }
