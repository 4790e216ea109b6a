package nodeagent

import (
	"testing"

	"github.com/redis-dock/redis-dock/images"
)

func TestImageConstants(t *testing.T) {
	if RedisUID != images.UID || RedisGID != images.GID || ConfigDir != images.ConfigDir || DataDir != images.DataDir {
		t.Errorf("nodeagent has %d:%d %s, the image %d:%d %s", RedisUID, RedisGID, ConfigDir, images.UID, images.GID, images.ConfigDir)
	}
}
